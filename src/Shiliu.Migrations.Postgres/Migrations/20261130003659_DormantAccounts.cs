using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DormantAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EnabledUtc",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EnabledUtc",
                table: "AspNetUsers");
        }
    }
}
