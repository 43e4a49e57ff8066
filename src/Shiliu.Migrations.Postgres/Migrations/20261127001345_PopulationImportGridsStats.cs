using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Shiliu.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PopulationImportGridsStats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ImportId",
                table: "Residents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImportRow",
                table: "Residents",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "GridInfos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Bounds = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Covers = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Notes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GridInfos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GridInfos_OrgUnits_Id",
                        column: x => x.Id,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GridMembers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    GridId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    SortOrder = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GridMembers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GridMembers_OrgUnits_GridId",
                        column: x => x.GridId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ResidentImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    UnitName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FileSize = table.Column<long>(type: "bigint", nullable: false),
                    FileSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    TotalRows = table.Column<int>(type: "integer", nullable: false),
                    ProcessedRows = table.Column<int>(type: "integer", nullable: false),
                    ValidRows = table.Column<int>(type: "integer", nullable: false),
                    ErrorRows = table.Column<int>(type: "integer", nullable: false),
                    ExistingRows = table.Column<int>(type: "integer", nullable: false),
                    InsertedRows = table.Column<int>(type: "integer", nullable: false),
                    ErrorsJson = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RequesterPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    RequestedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PreviewedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CommittedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CommittedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResidentImports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ResidentImports_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ResidentTallies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false, collation: "C"),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Sub = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResidentTallies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GridInfos_OrgPath",
                table: "GridInfos",
                column: "OrgPath");

            migrationBuilder.CreateIndex(
                name: "IX_GridMembers_GridId_SortOrder",
                table: "GridMembers",
                columns: new[] { "GridId", "SortOrder" });

            migrationBuilder.CreateIndex(
                name: "IX_GridMembers_OrgPath",
                table: "GridMembers",
                column: "OrgPath");

            migrationBuilder.CreateIndex(
                name: "IX_GridMembers_UserId",
                table: "GridMembers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_ResidentImports_OrgPath_RequestedUtc",
                table: "ResidentImports",
                columns: new[] { "OrgPath", "RequestedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentImports_OrgUnitId_FileSha256",
                table: "ResidentImports",
                columns: new[] { "OrgUnitId", "FileSha256" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentImports_Status",
                table: "ResidentImports",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTallies_CommunityId",
                table: "ResidentTallies",
                column: "CommunityId");

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTallies_Kind_OrgPath",
                table: "ResidentTallies",
                columns: new[] { "Kind", "OrgPath" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GridInfos");

            migrationBuilder.DropTable(
                name: "GridMembers");

            migrationBuilder.DropTable(
                name: "ResidentImports");

            migrationBuilder.DropTable(
                name: "ResidentTallies");

            migrationBuilder.DropColumn(
                name: "ImportId",
                table: "Residents");

            migrationBuilder.DropColumn(
                name: "ImportRow",
                table: "Residents");
        }
    }
}
