using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class JointMeetings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "JointMeetings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    HostName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    HostPost = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RecorderName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Minutes = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    MinutesEvidenceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Pending = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JointMeetings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JointMeetings_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MeetingDepartments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    ContactName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ContactPost = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    WorkPhone = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    Retired = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingDepartments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingDepartments_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MeetingAgendaItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MeetingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    No = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CaseKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    CaseTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingAgendaItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingAgendaItems_JointMeetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "JointMeetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MeetingAttendees",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MeetingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    DepartmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Post = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    AbsenceReason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingAttendees", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingAttendees_JointMeetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "JointMeetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MeetingTasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MeetingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    No = table.Column<int>(type: "INTEGER", nullable: false),
                    Matter = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    LeadDepartmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LeadDepartment = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    CoDepartments = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ClosedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CloseNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CloseEvidenceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Reopened = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingTasks_JointMeetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "JointMeetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MeetingTasks_MeetingDepartments_LeadDepartmentId",
                        column: x => x.LeadDepartmentId,
                        principalTable: "MeetingDepartments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MeetingTasks_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MeetingTaskProgress",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingTaskProgress", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingTaskProgress_MeetingTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "MeetingTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_JointMeetings_OrgPath_StartUtc",
                table: "JointMeetings",
                columns: new[] { "OrgPath", "StartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_JointMeetings_OrgUnitId_StartUtc",
                table: "JointMeetings",
                columns: new[] { "OrgUnitId", "StartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MeetingAgendaItems_MeetingId",
                table: "MeetingAgendaItems",
                column: "MeetingId");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingAttendees_MeetingId",
                table: "MeetingAttendees",
                column: "MeetingId");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingDepartments_OrgPath",
                table: "MeetingDepartments",
                column: "OrgPath");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingDepartments_OrgUnitId_Name",
                table: "MeetingDepartments",
                columns: new[] { "OrgUnitId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingTaskProgress_TaskId",
                table: "MeetingTaskProgress",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingTasks_LeadDepartmentId",
                table: "MeetingTasks",
                column: "LeadDepartmentId");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingTasks_MeetingId_No",
                table: "MeetingTasks",
                columns: new[] { "MeetingId", "No" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingTasks_OrgPath_Status_DueDate",
                table: "MeetingTasks",
                columns: new[] { "OrgPath", "Status", "DueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_MeetingTasks_OrgUnitId",
                table: "MeetingTasks",
                column: "OrgUnitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeetingAgendaItems");

            migrationBuilder.DropTable(
                name: "MeetingAttendees");

            migrationBuilder.DropTable(
                name: "MeetingTaskProgress");

            migrationBuilder.DropTable(
                name: "MeetingTasks");

            migrationBuilder.DropTable(
                name: "JointMeetings");

            migrationBuilder.DropTable(
                name: "MeetingDepartments");
        }
    }
}
