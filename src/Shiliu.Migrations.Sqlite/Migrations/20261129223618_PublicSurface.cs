using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PublicSurface : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OfficeHours",
                table: "OrgUnits",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicAddress",
                table: "OrgUnits",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicPhone",
                table: "OrgUnits",
                type: "TEXT",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShortTitle",
                table: "IndicatorCriterion",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "UsedChallenges",
                columns: table => new
                {
                    Nonce = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsedChallenges", x => x.Nonce);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsedChallenges_ExpiresUtc",
                table: "UsedChallenges",
                column: "ExpiresUtc");

            // The seed's table (version 1) gets the short titles clerks use; any later criterion starts from its first words.
            migrationBuilder.Sql("""
                UPDATE "IndicatorCriterion" SET "ShortTitle" = CASE "No" WHEN 1 THEN '贯彻落实社区民族工作意见' WHEN 2 THEN '组织机构与工作机制' WHEN 3 THEN '民族理论政策学习' WHEN 4 THEN '民族政策宣传' WHEN 5 THEN '群众文化体育活动' WHEN 6 THEN '评比表彰模范' WHEN 7 THEN '网格化服务管理' WHEN 8 THEN '服务群众' WHEN 9 THEN '法律援助与权益保障' WHEN 10 THEN '排查不稳定因素' WHEN 11 THEN '化解矛盾纠纷' WHEN 12 THEN '联席会议制度' WHEN 13 THEN '群众诉求与走访慰问' ELSE "ShortTitle" END
                WHERE "SubgroupId" IN (SELECT s."Id" FROM "IndicatorSubgroup" s JOIN "IndicatorGroup" g ON s."GroupId" = g."Id"
                    JOIN "IndicatorFrameworks" f ON g."FrameworkId" = f."Id" WHERE f."VersionNo" = 1);
                UPDATE "IndicatorCriterion" SET "ShortTitle" = substr("Text", 1, 12) WHERE "ShortTitle" = '';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsedChallenges");

            migrationBuilder.DropColumn(
                name: "OfficeHours",
                table: "OrgUnits");

            migrationBuilder.DropColumn(
                name: "PublicAddress",
                table: "OrgUnits");

            migrationBuilder.DropColumn(
                name: "PublicPhone",
                table: "OrgUnits");

            migrationBuilder.DropColumn(
                name: "ShortTitle",
                table: "IndicatorCriterion");
        }
    }
}
