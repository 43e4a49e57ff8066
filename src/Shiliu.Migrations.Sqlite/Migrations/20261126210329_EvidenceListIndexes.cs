using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EvidenceItems_OrgPath_UploadedUtc",
                table: "EvidenceItems");

            migrationBuilder.DropIndex(
                name: "IX_EvidenceItems_UploadedUtc",
                table: "EvidenceItems");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_OrgPath_DeletedUtc_Year_Category",
                table: "EvidenceItems",
                columns: new[] { "OrgPath", "DeletedUtc", "Year", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_UploadedUtc_Id",
                table: "EvidenceItems",
                columns: new[] { "UploadedUtc", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EvidenceItems_OrgPath_DeletedUtc_Year_Category",
                table: "EvidenceItems");

            migrationBuilder.DropIndex(
                name: "IX_EvidenceItems_UploadedUtc_Id",
                table: "EvidenceItems");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_OrgPath_UploadedUtc",
                table: "EvidenceItems",
                columns: new[] { "OrgPath", "UploadedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_UploadedUtc",
                table: "EvidenceItems",
                column: "UploadedUtc");
        }
    }
}
