using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Appeals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AppealLookupGuards",
                columns: table => new
                {
                    CodeKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppealLookupGuards", x => x.CodeKey);
                });

            migrationBuilder.CreateTable(
                name: "Appeals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    HandoverToUnitId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HandoverToPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PinHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    PlaceUnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    NameCipher = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    NameMasked = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    PhoneCipher = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PhoneHash = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PhoneMasked = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AnsweredUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AnsweredOnTime = table.Column<bool>(type: "INTEGER", nullable: true),
                    Resolved = table.Column<bool>(type: "INTEGER", nullable: true),
                    FeedbackComment = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    FeedbackUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReopenCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ConvertedKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ConvertedName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ConvertedId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ConvertedNumber = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    ConvertedLink = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Appeals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Appeals_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Appeals_OrgUnits_PlaceUnitId",
                        column: x => x.PlaceUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AppealPhotos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AppealId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppealPhotos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AppealPhotos_Appeals_AppealId",
                        column: x => x.AppealId,
                        principalTable: "Appeals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AppealLookupGuards_UpdatedUtc",
                table: "AppealLookupGuards",
                column: "UpdatedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_AppealPhotos_AppealId",
                table: "AppealPhotos",
                column: "AppealId");

            migrationBuilder.CreateIndex(
                name: "IX_Appeals_Code",
                table: "Appeals",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Appeals_HandoverToPath",
                table: "Appeals",
                column: "HandoverToPath");

            migrationBuilder.CreateIndex(
                name: "IX_Appeals_OrgPath_Status",
                table: "Appeals",
                columns: new[] { "OrgPath", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Appeals_OrgUnitId",
                table: "Appeals",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_Appeals_PhoneHash_CreatedUtc",
                table: "Appeals",
                columns: new[] { "PhoneHash", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Appeals_PlaceUnitId",
                table: "Appeals",
                column: "PlaceUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_Appeals_Status_AnsweredUtc",
                table: "Appeals",
                columns: new[] { "Status", "AnsweredUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppealLookupGuards");

            migrationBuilder.DropTable(
                name: "AppealPhotos");

            migrationBuilder.DropTable(
                name: "Appeals");
        }
    }
}
