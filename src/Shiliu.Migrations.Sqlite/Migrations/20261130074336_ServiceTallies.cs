using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ServiceTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ServiceCases_HandoverToPath",
                table: "ServiceCases");

            migrationBuilder.DropIndex(
                name: "IX_ServiceCases_OrgPath_AcceptedUtc",
                table: "ServiceCases");

            migrationBuilder.CreateTable(
                name: "ServiceCaseTallies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    TypeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Received = table.Column<int>(type: "INTEGER", nullable: false),
                    Closed = table.Column<int>(type: "INTEGER", nullable: false),
                    ClosedOnTime = table.Column<int>(type: "INTEGER", nullable: false),
                    RevisitDue = table.Column<int>(type: "INTEGER", nullable: false),
                    Revisited = table.Column<int>(type: "INTEGER", nullable: false),
                    Satisfied = table.Column<int>(type: "INTEGER", nullable: false),
                    Reopened = table.Column<int>(type: "INTEGER", nullable: false),
                    DaysSum = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceCaseTallies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceCases_HandoverToPath_AcceptedUtc_Id",
                table: "ServiceCases",
                columns: new[] { "HandoverToPath", "AcceptedUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceCases_OrgPath_AcceptedUtc_Id",
                table: "ServiceCases",
                columns: new[] { "OrgPath", "AcceptedUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceCases_Overdue",
                table: "ServiceCases",
                columns: new[] { "Status", "DueUtc", "OrgPath", "HandoverToPath", "AcceptedUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceCaseTallies_OrgPath_Month",
                table: "ServiceCaseTallies",
                columns: new[] { "OrgPath", "Month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ServiceCaseTallies");

            migrationBuilder.DropIndex(
                name: "IX_ServiceCases_HandoverToPath_AcceptedUtc_Id",
                table: "ServiceCases");

            migrationBuilder.DropIndex(
                name: "IX_ServiceCases_OrgPath_AcceptedUtc_Id",
                table: "ServiceCases");

            migrationBuilder.DropIndex(
                name: "IX_ServiceCases_Overdue",
                table: "ServiceCases");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceCases_HandoverToPath",
                table: "ServiceCases",
                column: "HandoverToPath");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceCases_OrgPath_AcceptedUtc",
                table: "ServiceCases",
                columns: new[] { "OrgPath", "AcceptedUtc" });
        }
    }
}
