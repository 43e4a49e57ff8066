using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Shiliu.Migrations.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    TypeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Received = table.Column<int>(type: "integer", nullable: false),
                    Closed = table.Column<int>(type: "integer", nullable: false),
                    ClosedOnTime = table.Column<int>(type: "integer", nullable: false),
                    RevisitDue = table.Column<int>(type: "integer", nullable: false),
                    Revisited = table.Column<int>(type: "integer", nullable: false),
                    Satisfied = table.Column<int>(type: "integer", nullable: false),
                    Reopened = table.Column<int>(type: "integer", nullable: false),
                    DaysSum = table.Column<double>(type: "double precision", nullable: false)
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
