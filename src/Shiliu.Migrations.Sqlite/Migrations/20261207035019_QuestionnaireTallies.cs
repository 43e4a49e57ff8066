using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shiliu.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QuestionnaireTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QuestionnaireAnswers_Tally",
                table: "QuestionnaireAnswers");

            migrationBuilder.CreateTable(
                name: "QuestionnaireTallies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PublicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Row = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Choice = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Min = table.Column<double>(type: "REAL", nullable: true),
                    Max = table.Column<double>(type: "REAL", nullable: true),
                    Sum = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuestionnaireTallies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuestionnaireTallies_QuestionnairePublications_PublicationId",
                        column: x => x.PublicationId,
                        principalTable: "QuestionnairePublications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuestionnaireAnswers_Tally",
                table: "QuestionnaireAnswers",
                columns: new[] { "PublicationId", "Question", "Row", "Choice", "ResponseId" });

            migrationBuilder.CreateIndex(
                name: "IX_QuestionnaireTallies_PublicationId_Question_Row_Choice",
                table: "QuestionnaireTallies",
                columns: new[] { "PublicationId", "Question", "Row", "Choice" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuestionnaireTallies");

            migrationBuilder.DropIndex(
                name: "IX_QuestionnaireAnswers_Tally",
                table: "QuestionnaireAnswers");

            migrationBuilder.CreateIndex(
                name: "IX_QuestionnaireAnswers_Tally",
                table: "QuestionnaireAnswers",
                columns: new[] { "PublicationId", "Question", "Row", "Choice" });
        }
    }
}
