using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Security : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PasswordIssueRequestedBy",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PasswordIssueRequestedUtc",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "CanWrite",
                table: "AccessTokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Modules",
                table: "AccessTokens",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "*");

            migrationBuilder.CreateTable(
                name: "SealingKeys",
                columns: table => new
                {
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FirstUsedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealingKeys", x => new { x.Purpose, x.Version });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SealingKeys");

            migrationBuilder.DropColumn(
                name: "PasswordIssueRequestedBy",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "PasswordIssueRequestedUtc",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "CanWrite",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "Modules",
                table: "AccessTokens");
        }
    }
}
