using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Shiliu.Migrations.Postgres.Migrations
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    HandoverToUnitId = table.Column<Guid>(type: "uuid", nullable: true),
                    HandoverToPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true, collation: "C"),
                    RegisteredUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    RegisteredPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Seq = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    EthnicFactors = table.Column<bool>(type: "boolean", nullable: false),
                    Tier = table.Column<int>(type: "integer", nullable: false),
                    Colour = table.Column<int>(type: "integer", nullable: false),
                    Leader = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    SourceKind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    SourceId = table.Column<Guid>(type: "uuid", nullable: true),
                    SourceNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    SourceTitle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SourceLink = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Place = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OccurredOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AgreementEvidenceId = table.Column<Guid>(type: "uuid", nullable: true),
                    AgreementNo = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ToldUnits = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    RegisteredBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RegisteredUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AcceptedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ConcludedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClosedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    Nil = table.Column<bool>(type: "boolean", nullable: false),
                    Screenings = table.Column<int>(type: "integer", nullable: false),
                    Factors = table.Column<int>(type: "integer", nullable: false),
                    HighestRisk = table.Column<int>(type: "integer", nullable: false),
                    Late = table.Column<bool>(type: "boolean", nullable: false),
                    ReportedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ReportedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Area = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Nil = table.Column<bool>(type: "boolean", nullable: false),
                    Factors = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    FactorCount = table.Column<int>(type: "integer", nullable: false),
                    Risk = table.Column<int>(type: "integer", nullable: false),
                    EthnicFactors = table.Column<bool>(type: "boolean", nullable: false),
                    Screener = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DisputeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Visitor = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    AgreementKept = table.Column<bool>(type: "boolean", nullable: false),
                    Notes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DisputeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Mediator = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Content = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DisputeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    NameMasked = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Gender = table.Column<int>(type: "integer", nullable: false),
                    EthnicityCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Age = table.Column<int>(type: "integer", nullable: true),
                    BirthYear = table.Column<int>(type: "integer", nullable: true),
                    Occupation = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    IdNumberCipher = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    IdNumberMasked = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: true),
                    PhoneCipher = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    PhoneMasked = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Sort = table.Column<int>(type: "integer", nullable: false)
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
