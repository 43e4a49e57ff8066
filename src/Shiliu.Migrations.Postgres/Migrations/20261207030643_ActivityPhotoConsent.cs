using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ActivityPhotoConsent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ActivityPhotoConsents",
                columns: table => new
                {
                    EvidenceId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    ConsentNote = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ConsentBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ConsentUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Publishable = table.Column<bool>(type: "boolean", nullable: false),
                    PublishedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PublishedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Caption = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityPhotoConsents", x => x.EvidenceId);
                    table.ForeignKey(
                        name: "FK_ActivityPhotoConsents_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ActivityPhotoConsents_EvidenceItems_EvidenceId",
                        column: x => x.EvidenceId,
                        principalTable: "EvidenceItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ActivityPhotoConsents_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityPhotoConsents_ActivityId",
                table: "ActivityPhotoConsents",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityPhotoConsents_OrgUnitId",
                table: "ActivityPhotoConsents",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityPhotoConsents_Publishable_OrgPath",
                table: "ActivityPhotoConsents",
                columns: new[] { "Publishable", "OrgPath" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityPhotoConsents");
        }
    }
}
