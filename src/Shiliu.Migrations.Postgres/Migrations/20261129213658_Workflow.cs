using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Shiliu.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Workflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "State",
                table: "UnitTasksDone",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "UpdatedBy",
                table: "ResidentTransfers",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedUtc",
                table: "ResidentTransfers",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "ResidentTransfers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "WorkflowSteps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Workflow = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ItemId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FromState = table.Column<int>(type: "integer", nullable: false),
                    ToState = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    UserName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UserId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    TimeUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowSteps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkReports_Status_PublishedUtc",
                table: "WorkReports",
                columns: new[] { "Status", "PublishedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowSteps_OrgPath",
                table: "WorkflowSteps",
                column: "OrgPath");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowSteps_Workflow_ItemId_Id",
                table: "WorkflowSteps",
                columns: new[] { "Workflow", "ItemId", "Id" });

            // Who reviewed, returned or decided now lives in the workflow steps: carry the existing decisions over.
            migrationBuilder.Sql("""
                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'deliverable', "Id", "OrgPath", 'approve', 2, 3, NULL, COALESCE("ReviewedBy", ''), COALESCE("ReviewedUtc", "UpdatedUtc")
                FROM "Deliverables" WHERE "Status" = 3;
                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'deliverable', "Id", "OrgPath", 'return', 2, 4, "ReturnReason", COALESCE("ReviewedBy", ''), COALESCE("ReviewedUtc", "UpdatedUtc")
                FROM "Deliverables" WHERE "ReturnReason" IS NOT NULL AND "Status" = 1;
                UPDATE "Deliverables" SET "Status" = 4 WHERE "ReturnReason" IS NOT NULL AND "Status" = 1;

                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'work-report', "Id", "OrgPath", 'report', 0, 1, NULL, "Author", "ReportedUtc" FROM "WorkReports" WHERE "ReportedUtc" IS NOT NULL;
                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'work-report', "Id", "OrgPath", 'adopt', 1, 2, NULL, COALESCE("ReviewedBy", ''), COALESCE("ReviewedUtc", "UpdatedUtc")
                FROM "WorkReports" WHERE "Status" = 2;
                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'work-report', "Id", "OrgPath", 'return', 1, 3, "ReturnReason", COALESCE("ReviewedBy", ''), COALESCE("ReviewedUtc", "UpdatedUtc")
                FROM "WorkReports" WHERE "Status" = 3;
                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'work-report', "Id", "OrgPath", 'publish', 2, 4, NULL, COALESCE("UpdatedBy", ''), COALESCE("PublishedUtc", "UpdatedUtc")
                FROM "WorkReports" WHERE "Published" = TRUE;
                UPDATE "WorkReports" SET "Status" = 4 WHERE "Published" = TRUE;

                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'phase-task', "Id", "OrgPath", 'complete', 0, 1, NULL, "DoneBy", "DoneUtc" FROM "UnitTasksDone";
                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'phase-task', "Id", "OrgPath", 'return', 1, 2, "ReturnReason", COALESCE("ReturnedBy", ''), COALESCE("ReturnedUtc", "DoneUtc")
                FROM "UnitTasksDone" WHERE "ReturnReason" IS NOT NULL;
                UPDATE "UnitTasksDone" SET "State" = CASE WHEN "ReturnReason" IS NULL THEN 1 ELSE 2 END;

                INSERT INTO "WorkflowSteps" ("Workflow", "ItemId", "OrgPath", "Action", "FromState", "ToState", "Reason", "UserName", "TimeUtc")
                SELECT 'resident-transfer', "Id", "OrgPath", CASE WHEN "Status" = 1 THEN 'accept' ELSE 'refuse' END, 0, "Status", "RefuseReason",
                    COALESCE("DecidedBy", ''), COALESCE("DecidedUtc", "RequestedUtc")
                FROM "ResidentTransfers" WHERE "Status" <> 0;
                UPDATE "ResidentTransfers" SET "UpdatedUtc" = COALESCE("DecidedUtc", "RequestedUtc"), "UpdatedBy" = "DecidedBy";
                """);

            migrationBuilder.DropIndex(
                name: "IX_WorkReports_Published",
                table: "WorkReports");

            migrationBuilder.DropColumn(
                name: "Published",
                table: "WorkReports");

            migrationBuilder.DropColumn(
                name: "ReturnReason",
                table: "WorkReports");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "WorkReports");

            migrationBuilder.DropColumn(
                name: "ReviewedUtc",
                table: "WorkReports");

            migrationBuilder.DropColumn(
                name: "ReturnReason",
                table: "UnitTasksDone");

            migrationBuilder.DropColumn(
                name: "ReturnedBy",
                table: "UnitTasksDone");

            migrationBuilder.DropColumn(
                name: "ReturnedUtc",
                table: "UnitTasksDone");

            migrationBuilder.DropColumn(
                name: "DecidedBy",
                table: "ResidentTransfers");

            migrationBuilder.DropColumn(
                name: "DecidedUtc",
                table: "ResidentTransfers");

            migrationBuilder.DropColumn(
                name: "RefuseReason",
                table: "ResidentTransfers");

            migrationBuilder.DropColumn(
                name: "ReturnReason",
                table: "Deliverables");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "Deliverables");

            migrationBuilder.DropColumn(
                name: "ReviewedUtc",
                table: "Deliverables");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WorkflowSteps");

            migrationBuilder.DropIndex(
                name: "IX_WorkReports_Status_PublishedUtc",
                table: "WorkReports");

            migrationBuilder.DropColumn(
                name: "State",
                table: "UnitTasksDone");

            migrationBuilder.DropColumn(
                name: "UpdatedBy",
                table: "ResidentTransfers");

            migrationBuilder.DropColumn(
                name: "UpdatedUtc",
                table: "ResidentTransfers");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "ResidentTransfers");

            migrationBuilder.AddColumn<bool>(
                name: "Published",
                table: "WorkReports",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ReturnReason",
                table: "WorkReports",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "WorkReports",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedUtc",
                table: "WorkReports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReturnReason",
                table: "UnitTasksDone",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReturnedBy",
                table: "UnitTasksDone",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReturnedUtc",
                table: "UnitTasksDone",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedBy",
                table: "ResidentTransfers",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DecidedUtc",
                table: "ResidentTransfers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RefuseReason",
                table: "ResidentTransfers",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReturnReason",
                table: "Deliverables",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "Deliverables",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedUtc",
                table: "Deliverables",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkReports_Published",
                table: "WorkReports",
                column: "Published");
        }
    }
}
