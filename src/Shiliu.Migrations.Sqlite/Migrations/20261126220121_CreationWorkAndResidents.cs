using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CreationWorkAndResidents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "DocumentEvidenceId",
                table: "Campaigns",
                type: "TEXT",
                nullable: true);

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
                name: "Residents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Gender = table.Column<int>(type: "INTEGER", nullable: false),
                    EthnicityCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    IdNumberCipher = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    IdNumberHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdNumberMasked = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PhoneCipher = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    PhoneHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PhoneMasked = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    HouseholdNo = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    RelationToHead = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ResidenceType = table.Column<int>(type: "INTEGER", nullable: false),
                    OriginPlace = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ArrivalDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ExpectedStay = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    ArrivalReason = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Employer = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Languages = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Religion = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    ReligionConsent = table.Column<bool>(type: "INTEGER", nullable: false),
                    Needs = table.Column<int>(type: "INTEGER", nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Residents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Residents_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
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
                name: "ResidentChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResidentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    TimeUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Details = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResidentChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ResidentChanges_Residents_ResidentId",
                        column: x => x.ResidentId,
                        principalTable: "Residents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ResidentTransfers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResidentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ToOrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ToOrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ToUnitName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FromUnitName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ResidentName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RefuseReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResidentTransfers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ResidentTransfers_Residents_ResidentId",
                        column: x => x.ResidentId,
                        principalTable: "Residents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Visits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResidentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    HouseholdNo = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    VisitDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Visitor = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Findings = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    NeedsFound = table.Column<int>(type: "INTEGER", nullable: false),
                    FollowUp = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Visits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Visits_Residents_ResidentId",
                        column: x => x.ResidentId,
                        principalTable: "Residents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "IX_EvidenceItems_OrgPath_DeletedUtc_Year_Category",
                table: "EvidenceItems",
                columns: new[] { "OrgPath", "DeletedUtc", "Year", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_OrgUnitId_Sha256",
                table: "EvidenceItems",
                columns: new[] { "OrgUnitId", "Sha256" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_UploadedUtc_Id",
                table: "EvidenceItems",
                columns: new[] { "UploadedUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceRefs_Kind_No",
                table: "EvidenceRefs",
                columns: new[] { "Kind", "No" });

            migrationBuilder.CreateIndex(
                name: "IX_Festivals_Name",
                table: "Festivals",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ResidentChanges_ResidentId_TimeUtc",
                table: "ResidentChanges",
                columns: new[] { "ResidentId", "TimeUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Residents_BirthDate",
                table: "Residents",
                column: "BirthDate");

            migrationBuilder.CreateIndex(
                name: "IX_Residents_IdNumberHash",
                table: "Residents",
                column: "IdNumberHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Residents_OrgPath_EthnicityCode",
                table: "Residents",
                columns: new[] { "OrgPath", "EthnicityCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Residents_OrgPath_HouseholdNo_Name",
                table: "Residents",
                columns: new[] { "OrgPath", "HouseholdNo", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Residents_OrgUnitId",
                table: "Residents",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_Residents_PhoneHash",
                table: "Residents",
                column: "PhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTransfers_OrgPath",
                table: "ResidentTransfers",
                column: "OrgPath");

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTransfers_ResidentId_Status",
                table: "ResidentTransfers",
                columns: new[] { "ResidentId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTransfers_ToOrgPath",
                table: "ResidentTransfers",
                column: "ToOrgPath");

            migrationBuilder.CreateIndex(
                name: "IX_Visits_OrgPath_VisitDate",
                table: "Visits",
                columns: new[] { "OrgPath", "VisitDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Visits_ResidentId_VisitDate",
                table: "Visits",
                columns: new[] { "ResidentId", "VisitDate" });
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
                name: "ResidentChanges");

            migrationBuilder.DropTable(
                name: "ResidentTransfers");

            migrationBuilder.DropTable(
                name: "Visits");

            migrationBuilder.DropTable(
                name: "EvidenceItems");

            migrationBuilder.DropTable(
                name: "Residents");

            migrationBuilder.DropTable(
                name: "Activities");

            migrationBuilder.DropTable(
                name: "Festivals");

            migrationBuilder.DropColumn(
                name: "DocumentEvidenceId",
                table: "Campaigns");
        }
    }
}
