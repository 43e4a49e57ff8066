using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Questionnaires;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

public static class QuestionnaireTables
{
    extension(ShiliuDb db)
    {
        public DbSet<Questionnaire> Questionnaires => db.Set<Questionnaire>();
        public DbSet<Publication> QuestionnairePublications => db.Set<Publication>();
        public DbSet<QuestionnaireResponse> QuestionnaireResponses => db.Set<QuestionnaireResponse>();
        public DbSet<QuestionnaireAnswer> QuestionnaireAnswers => db.Set<QuestionnaireAnswer>();
        public DbSet<QuestionnaireTally> QuestionnaireTallies => db.Set<QuestionnaireTally>();
        public DbSet<AnswerCode> QuestionnaireAnswerCodes => db.Set<AnswerCode>();
        public DbSet<BrowserMark> QuestionnaireBrowserMarks => db.Set<BrowserMark>();
    }
}
