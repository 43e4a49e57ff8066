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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
