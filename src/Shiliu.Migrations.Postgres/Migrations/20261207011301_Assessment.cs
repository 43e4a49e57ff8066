using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Postgres.Migrations
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: true),
                    FrameworkId = table.Column<Guid>(type: "uuid", nullable: false),
                    FrameworkVersionNo = table.Column<int>(type: "integer", nullable: false),
                    PeriodFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodTo = table.Column<DateOnly>(type: "date", nullable: false),
                    Stage = table.Column<int>(type: "integer", nullable: false),
                    WeightSelf = table.Column<int>(type: "integer", nullable: false),
                    WeightMutual = table.Column<int>(type: "integer", nullable: false),
                    WeightSupervision = table.Column<int>(type: "integer", nullable: false),
                    SelfDays = table.Column<int>(type: "integer", nullable: false),
                    MutualDays = table.Column<int>(type: "integer", nullable: false),
                    SupervisionDays = table.Column<int>(type: "integer", nullable: false),
                    SelfDue = table.Column<DateOnly>(type: "date", nullable: true),
                    MutualDue = table.Column<DateOnly>(type: "date", nullable: true),
                    SupervisionDue = table.Column<DateOnly>(type: "date", nullable: true),
                    TieRule = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GapThreshold = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: false),
                    SeparateTownships = table.Column<bool>(type: "boolean", nullable: false),
                    PairSeed = table.Column<int>(type: "integer", nullable: true),
                    IsDemo = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    OpenedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PublishedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UserName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    UnitName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    MinScore = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    No = table.Column<int>(type: "integer", nullable: false),
                    GroupName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ShortTitle = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false),
                    Methods = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScorerUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScorerPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    ScorerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ScoredUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScoredName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    Mode = table.Column<int>(type: "integer", nullable: false),
                    ScoredUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScoredName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    ScorerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ScorerKey = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    AssessorUserId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    SubmittedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReopenReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    TotalTenths = table.Column<int>(type: "integer", nullable: false),
                    Deductions = table.Column<int>(type: "integer", nullable: false),
                    Feedback = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    UnitName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    TownshipId = table.Column<Guid>(type: "uuid", nullable: false),
                    TownshipName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    VetoReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    VetoReference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    VetoBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    VetoUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SheetId = table.Column<Guid>(type: "uuid", nullable: false),
                    CriterionNo = table.Column<int>(type: "integer", nullable: false),
                    Tenths = table.Column<int>(type: "integer", nullable: true),
                    DeductionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    EvidenceIds = table.Column<List<Guid>>(type: "uuid[]", nullable: false)
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
