using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class VisitIndexCovers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Visits_OrgPath_VisitDate",
                table: "Visits");

            migrationBuilder.CreateIndex(
                name: "IX_Visits_OrgPath_VisitDate_Kind_HouseholdNo_ResidentId",
                table: "Visits",
                columns: new[] { "OrgPath", "VisitDate", "Kind", "HouseholdNo", "ResidentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Visits_OrgPath_VisitDate_Kind_HouseholdNo_ResidentId",
                table: "Visits");

            migrationBuilder.CreateIndex(
                name: "IX_Visits_OrgPath_VisitDate",
                table: "Visits",
                columns: new[] { "OrgPath", "VisitDate" });
        }
    }
}
