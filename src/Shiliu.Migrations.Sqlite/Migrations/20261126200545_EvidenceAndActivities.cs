using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceAndActivities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DossierJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    UnitName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: true),
                    CriterionNo = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequesterPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    RequestedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DossierJobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DossierJobs_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Festivals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Ethnicities = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Rule = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    Days = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Festivals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Activities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    TypeCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Organiser = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ParticipantsTotal = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Criteria = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FestivalId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Activities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Activities_Festivals_FestivalId",
                        column: x => x.FestivalId,
                        principalTable: "Festivals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Activities_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ActivityParticipant",
                columns: table => new
                {
                    ActivityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EthnicityCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityParticipant", x => new { x.ActivityId, x.EthnicityCode });
                    table.ForeignKey(
                        name: "FK_ActivityParticipant_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ThumbnailKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Width = table.Column<int>(type: "INTEGER", nullable: true),
                    Height = table.Column<int>(type: "INTEGER", nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ActivityId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UploadedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeletedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidenceItems_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_EvidenceItems_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceRefs",
                columns: table => new
                {
                    EvidenceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    No = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceRefs", x => new { x.EvidenceId, x.Kind, x.No });
                    table.ForeignKey(
                        name: "FK_EvidenceRefs_EvidenceItems_EvidenceId",
                        column: x => x.EvidenceId,
                        principalTable: "EvidenceItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_Date",
                table: "Activities",
                column: "Date");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_FestivalId",
                table: "Activities",
                column: "FestivalId");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OrgPath_Date",
                table: "Activities",
                columns: new[] { "OrgPath", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OrgUnitId",
                table: "Activities",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_DossierJobs_OrgUnitId_RequestedUtc",
                table: "DossierJobs",
                columns: new[] { "OrgUnitId", "RequestedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_DossierJobs_Status",
                table: "DossierJobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_ActivityId",
                table: "EvidenceItems",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_OrgPath_UploadedUtc",
                table: "EvidenceItems",
                columns: new[] { "OrgPath", "UploadedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_OrgUnitId_Sha256",
                table: "EvidenceItems",
                columns: new[] { "OrgUnitId", "Sha256" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_UploadedUtc",
                table: "EvidenceItems",
                column: "UploadedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceRefs_Kind_No",
                table: "EvidenceRefs",
                columns: new[] { "Kind", "No" });

            migrationBuilder.CreateIndex(
                name: "IX_Festivals_Name",
                table: "Festivals",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityParticipant");

            migrationBuilder.DropTable(
                name: "DossierJobs");

            migrationBuilder.DropTable(
                name: "EvidenceRefs");

            migrationBuilder.DropTable(
                name: "EvidenceItems");

            migrationBuilder.DropTable(
                name: "Activities");

            migrationBuilder.DropTable(
                name: "Festivals");
        }
    }
}
