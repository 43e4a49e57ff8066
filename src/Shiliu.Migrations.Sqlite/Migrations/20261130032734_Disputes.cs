using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Disputes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Disputes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    HandoverToUnitId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HandoverToPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    RegisteredUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RegisteredPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Seq = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    EthnicFactors = table.Column<bool>(type: "INTEGER", nullable: false),
                    Tier = table.Column<int>(type: "INTEGER", nullable: false),
                    Colour = table.Column<int>(type: "INTEGER", nullable: false),
                    Leader = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SourceNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SourceTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SourceLink = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Place = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OccurredOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AgreementEvidenceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgreementNo = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ToldUnits = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    RegisteredBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RegisteredUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AcceptedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConcludedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Disputes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Disputes_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DisputeScreeningReports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Nil = table.Column<bool>(type: "INTEGER", nullable: false),
                    Screenings = table.Column<int>(type: "INTEGER", nullable: false),
                    Factors = table.Column<int>(type: "INTEGER", nullable: false),
                    HighestRisk = table.Column<int>(type: "INTEGER", nullable: false),
                    Late = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReportedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReportedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeScreeningReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeScreeningReports_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DisputeScreenings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Area = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Nil = table.Column<bool>(type: "INTEGER", nullable: false),
                    Factors = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    FactorCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Risk = table.Column<int>(type: "INTEGER", nullable: false),
                    EthnicFactors = table.Column<bool>(type: "INTEGER", nullable: false),
                    Screener = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeScreenings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeScreenings_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DisputeFollowUps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DisputeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Visitor = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    AgreementKept = table.Column<bool>(type: "INTEGER", nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeFollowUps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeFollowUps_Disputes_DisputeId",
                        column: x => x.DisputeId,
                        principalTable: "Disputes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DisputeMediations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DisputeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Mediator = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Content = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeMediations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeMediations_Disputes_DisputeId",
                        column: x => x.DisputeId,
                        principalTable: "Disputes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DisputeParties",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisputeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    NameMasked = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Gender = table.Column<int>(type: "INTEGER", nullable: false),
                    EthnicityCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Age = table.Column<int>(type: "INTEGER", nullable: true),
                    BirthYear = table.Column<int>(type: "INTEGER", nullable: true),
                    Occupation = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IdNumberCipher = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    IdNumberMasked = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    PhoneCipher = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    PhoneMasked = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Sort = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeParties", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeParties_Disputes_DisputeId",
                        column: x => x.DisputeId,
                        principalTable: "Disputes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeFollowUps_DisputeId_Date",
                table: "DisputeFollowUps",
                columns: new[] { "DisputeId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeMediations_DisputeId_Date",
                table: "DisputeMediations",
                columns: new[] { "DisputeId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeParties_DisputeId_Sort",
                table: "DisputeParties",
                columns: new[] { "DisputeId", "Sort" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_HandoverToPath",
                table: "Disputes",
                column: "HandoverToPath");

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_Number",
                table: "Disputes",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_OrgPath_Status",
                table: "Disputes",
                columns: new[] { "OrgPath", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_OrgUnitId",
                table: "Disputes",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_RegisteredUtc_Colour_EthnicFactors",
                table: "Disputes",
                columns: new[] { "RegisteredUtc", "Colour", "EthnicFactors" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_SourceKind_SourceId",
                table: "Disputes",
                columns: new[] { "SourceKind", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_Year_Seq",
                table: "Disputes",
                columns: new[] { "Year", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DisputeScreeningReports_Month_OrgPath",
                table: "DisputeScreeningReports",
                columns: new[] { "Month", "OrgPath" });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeScreeningReports_OrgUnitId_Month",
                table: "DisputeScreeningReports",
                columns: new[] { "OrgUnitId", "Month" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DisputeScreenings_OrgPath_Date",
                table: "DisputeScreenings",
                columns: new[] { "OrgPath", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeScreenings_OrgUnitId",
                table: "DisputeScreenings",
                column: "OrgUnitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisputeFollowUps");

            migrationBuilder.DropTable(
                name: "DisputeMediations");

            migrationBuilder.DropTable(
                name: "DisputeParties");

            migrationBuilder.DropTable(
                name: "DisputeScreeningReports");

            migrationBuilder.DropTable(
                name: "DisputeScreenings");

            migrationBuilder.DropTable(
                name: "Disputes");
        }
    }
}
