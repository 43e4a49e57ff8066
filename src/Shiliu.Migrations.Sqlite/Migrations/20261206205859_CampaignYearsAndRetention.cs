using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CampaignYearsAndRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ArchivedUtc",
                table: "Residents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClosedUtc",
                table: "Campaigns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "FrameworkId",
                table: "Campaigns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RetentionRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    ArchiveAfterMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    DeleteAfterMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ApprovedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UnitPlans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 50000, nullable: false),
                    DocumentEvidenceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnitPlans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UnitPlans_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_UnitPlans_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Residents_Status_StatusDate",
                table: "Residents",
                columns: new[] { "Status", "StatusDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_DocNumber",
                table: "Campaigns",
                column: "DocNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_FrameworkId",
                table: "Campaigns",
                column: "FrameworkId");

            migrationBuilder.CreateIndex(
                name: "IX_RetentionRules_Category",
                table: "RetentionRules",
                column: "Category",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UnitPlans_CampaignId_OrgPath",
                table: "UnitPlans",
                columns: new[] { "CampaignId", "OrgPath" });

            migrationBuilder.CreateIndex(
                name: "IX_UnitPlans_CampaignId_OrgUnitId",
                table: "UnitPlans",
                columns: new[] { "CampaignId", "OrgUnitId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UnitPlans_OrgUnitId",
                table: "UnitPlans",
                column: "OrgUnitId");

            migrationBuilder.AddForeignKey(
                name: "FK_Campaigns_IndicatorFrameworks_FrameworkId",
                table: "Campaigns",
                column: "FrameworkId",
                principalTable: "IndicatorFrameworks",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // Campaigns seeded before frameworks were tied to them are judged by the first version (the seed's annex).
            migrationBuilder.Sql("""UPDATE "Campaigns" SET "FrameworkId" = (SELECT "Id" FROM "IndicatorFrameworks" ORDER BY "VersionNo" LIMIT 1) WHERE "FrameworkId" IS NULL""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Campaigns_IndicatorFrameworks_FrameworkId",
                table: "Campaigns");

            migrationBuilder.DropTable(
                name: "RetentionRules");

            migrationBuilder.DropTable(
                name: "UnitPlans");

            migrationBuilder.DropIndex(
                name: "IX_Residents_Status_StatusDate",
                table: "Residents");

            migrationBuilder.DropIndex(
                name: "IX_Campaigns_DocNumber",
                table: "Campaigns");

            migrationBuilder.DropIndex(
                name: "IX_Campaigns_FrameworkId",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "ArchivedUtc",
                table: "Residents");

            migrationBuilder.DropColumn(
                name: "ClosedUtc",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "FrameworkId",
                table: "Campaigns");
        }
    }
}
