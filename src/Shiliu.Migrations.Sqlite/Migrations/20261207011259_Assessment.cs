using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Assessment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AssessmentRounds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FrameworkId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FrameworkVersionNo = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PeriodTo = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Stage = table.Column<int>(type: "INTEGER", nullable: false),
                    WeightSelf = table.Column<int>(type: "INTEGER", nullable: false),
                    WeightMutual = table.Column<int>(type: "INTEGER", nullable: false),
                    WeightSupervision = table.Column<int>(type: "INTEGER", nullable: false),
                    SelfDays = table.Column<int>(type: "INTEGER", nullable: false),
                    MutualDays = table.Column<int>(type: "INTEGER", nullable: false),
                    SupervisionDays = table.Column<int>(type: "INTEGER", nullable: false),
                    SelfDue = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MutualDue = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    SupervisionDue = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    TieRule = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GapThreshold = table.Column<decimal>(type: "TEXT", precision: 6, scale: 2, nullable: false),
                    SeparateTownships = table.Column<bool>(type: "INTEGER", nullable: false),
                    PairSeed = table.Column<int>(type: "INTEGER", nullable: true),
                    IsDemo = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpenedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PublishedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentRounds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentRounds_IndicatorFrameworks_FrameworkId",
                        column: x => x.FrameworkId,
                        principalTable: "IndicatorFrameworks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentAssessors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UnitName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentAssessors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentAssessors_AssessmentRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "AssessmentRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentBands",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    MinScore = table.Column<decimal>(type: "TEXT", precision: 6, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentBands", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentBands_AssessmentRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "AssessmentRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentCriteria",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    No = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    ShortTitle = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false),
                    Methods = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentCriteria", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentCriteria_AssessmentRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "AssessmentRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentPairs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ScorerUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ScorerPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ScorerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ScoredUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ScoredName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentPairs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentPairs_AssessmentRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "AssessmentRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentSheets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Mode = table.Column<int>(type: "INTEGER", nullable: false),
                    ScoredUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ScoredName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ScorerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ScorerKey = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    AssessorUserId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    SubmittedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReopenReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    TotalTenths = table.Column<int>(type: "INTEGER", nullable: false),
                    Deductions = table.Column<int>(type: "INTEGER", nullable: false),
                    Feedback = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentSheets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentSheets_AssessmentRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "AssessmentRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AssessmentSheets_OrgUnits_ScoredUnitId",
                        column: x => x.ScoredUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentUnits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    UnitName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    TownshipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TownshipName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    VetoReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    VetoReference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    VetoBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    VetoUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentUnits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentUnits_AssessmentRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "AssessmentRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AssessmentUnits_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentScoreLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SheetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CriterionNo = table.Column<int>(type: "INTEGER", nullable: false),
                    Tenths = table.Column<int>(type: "INTEGER", nullable: true),
                    DeductionReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    EvidenceIds = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentScoreLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentScoreLines_AssessmentSheets_SheetId",
                        column: x => x.SheetId,
                        principalTable: "AssessmentSheets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentAssessors_RoundId_UserId_OrgUnitId",
                table: "AssessmentAssessors",
                columns: new[] { "RoundId", "UserId", "OrgUnitId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentBands_RoundId",
                table: "AssessmentBands",
                column: "RoundId");

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentCriteria_RoundId_No",
                table: "AssessmentCriteria",
                columns: new[] { "RoundId", "No" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentPairs_RoundId_ScorerUnitId_ScoredUnitId",
                table: "AssessmentPairs",
                columns: new[] { "RoundId", "ScorerUnitId", "ScoredUnitId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentPairs_ScorerPath_RoundId",
                table: "AssessmentPairs",
                columns: new[] { "ScorerPath", "RoundId" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentRounds_FrameworkId",
                table: "AssessmentRounds",
                column: "FrameworkId");

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentRounds_Name",
                table: "AssessmentRounds",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentScoreLines_SheetId_CriterionNo",
                table: "AssessmentScoreLines",
                columns: new[] { "SheetId", "CriterionNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentSheets_OrgPath_RoundId",
                table: "AssessmentSheets",
                columns: new[] { "OrgPath", "RoundId" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentSheets_Round_Unit_Mode_Scorer",
                table: "AssessmentSheets",
                columns: new[] { "RoundId", "ScoredUnitId", "Mode", "ScorerKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentSheets_RoundId_Status_ScoredUnitId_Mode",
                table: "AssessmentSheets",
                columns: new[] { "RoundId", "Status", "ScoredUnitId", "Mode" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentSheets_ScoredUnitId",
                table: "AssessmentSheets",
                column: "ScoredUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentUnits_OrgPath_RoundId",
                table: "AssessmentUnits",
                columns: new[] { "OrgPath", "RoundId" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentUnits_OrgUnitId",
                table: "AssessmentUnits",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentUnits_RoundId_OrgUnitId",
                table: "AssessmentUnits",
                columns: new[] { "RoundId", "OrgUnitId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssessmentAssessors");

            migrationBuilder.DropTable(
                name: "AssessmentBands");

            migrationBuilder.DropTable(
                name: "AssessmentCriteria");

            migrationBuilder.DropTable(
                name: "AssessmentPairs");

            migrationBuilder.DropTable(
                name: "AssessmentScoreLines");

            migrationBuilder.DropTable(
                name: "AssessmentUnits");

            migrationBuilder.DropTable(
                name: "AssessmentSheets");

            migrationBuilder.DropTable(
                name: "AssessmentRounds");
        }
    }
}
