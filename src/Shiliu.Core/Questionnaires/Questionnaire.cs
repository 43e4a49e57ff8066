using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Questionnaires;

public enum QuestionKind
{
    Single = 0,
    Multiple = 1,
    /// <summary>1–5, its five labels given by the builder (or 1…5).</summary>
    Rating = 2,
    /// <summary>Rows answered on one shared scale (the question's options).</summary>
    Matrix = 3,
    Number = 4,
    Text = 5,
}

public enum Distribution
{
    /// <summary>A public link: one answer per browser (a cookie), limited per address.</summary>
    OpenLink = 0,
    /// <summary>Printed single-use codes: a code is used up only by a finished answer.</summary>
    Codes = 1,
}

/// <summary>
/// A questionnaire as its builder keeps it (county office or a township). The questions are one JSON document
/// (<see cref="QuestionForm"/>); publishing copies it, so later edits never change what residents already answered.
/// </summary>
public sealed class Questionnaire : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Intro { get; set; }
    public string FormJson { get; set; } = "{}";
    /// <summary>Bumped by the first edit after a publication froze the current revision.</summary>
    public int Revision { get; set; } = 1;
    /// <summary>Whether a publication holds the current revision (then the next edit makes a new one).</summary>
    public bool RevisionPublished { get; set; }
    /// <summary>The criterion (第 N 条, methods include 问卷调查) this questionnaire reports toward.</summary>
    public int? CriterionNo { get; set; }
    /// <summary>The question whose favourable options make the suggested share, and those options' keys.</summary>
    public string? ScoreQuestion { get; set; }
    public string? ScoreOptions { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>
/// A questionnaire published for one unit (a township or a community) and a period, with a frozen copy of its questions;
/// owned by that unit, so its staff see its results and nobody outside its tree does.
/// </summary>
public sealed class Publication : IOrgOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid QuestionnaireId { get; set; }
    public Guid OrgUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    /// <summary>The random part of the public address (/public/q/{Slug}): not guessable from another one.</summary>
    public string Slug { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Intro { get; set; }
    public string FormJson { get; set; } = "{}";
    public int Revision { get; set; }
    public int? CriterionNo { get; set; }
    public string? ScoreQuestion { get; set; }
    public string? ScoreOptions { get; set; }
    public DateOnly OpensOn { get; set; }
    public DateOnly ClosesOn { get; set; }
    public int Target { get; set; }
    public Distribution Distribution { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>
/// One finished answer sheet. Nothing in it points at a person, a code, a browser or a moment: a random id (not
/// time-ordered), the publication and the date only.
/// </summary>
[ScopedElsewhere("read through its publication")]
public sealed class QuestionnaireResponse
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PublicationId { get; set; }
    public DateOnly AnsweredOn { get; set; }
}

/// <summary>One answer: a chosen option (per matrix row), a number or a text. Counted in SQL by (publication, question, row, choice).</summary>
[ScopedElsewhere("read through its publication")]
public sealed class QuestionnaireAnswer
{
    public long Id { get; set; }
    public Guid PublicationId { get; set; }
    public Guid ResponseId { get; set; }
    public string Question { get; set; } = "";
    /// <summary>The matrix row's key; "" for other kinds.</summary>
    public string Row { get; set; } = "";
    /// <summary>The option's key; "" for numbers and texts.</summary>
    public string Choice { get; set; } = "";
    public double? Number { get; set; }
    public string? Text { get; set; }
}

/// <summary>A printed single-use code: only whether it is used, never by which answer or when.</summary>
[ScopedElsewhere("read through its publication")]
public sealed class AnswerCode
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PublicationId { get; set; }
    public string Code { get; set; } = "";
    public int Batch { get; set; }
    public bool Used { get; set; }
}

/// <summary>That some browser answered an open-link publication: SHA-256 of its random cookie token with the publication.</summary>
[ScopedElsewhere("read through its publication")]
public sealed class BrowserMark
{
    public Guid PublicationId { get; set; }
    public string TokenHash { get; set; } = "";
}

sealed class QuestionnaireConfiguration : IEntityTypeConfiguration<Questionnaire>
{
    public void Configure(EntityTypeBuilder<Questionnaire> b)
    {
        b.ToTable("Questionnaires");
        b.Property(q => q.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(q => q.Title).HasMaxLength(100).IsRequired();
        b.Property(q => q.Intro).HasMaxLength(1000);
        b.Property(q => q.FormJson).IsRequired();
        b.Property(q => q.ScoreQuestion).HasMaxLength(20);
        b.Property(q => q.ScoreOptions).HasMaxLength(200);
        b.Property(q => q.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(q => q.UpdatedBy).HasMaxLength(100);
        b.HasIndex(q => q.OrgPath);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(q => q.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class PublicationConfiguration : IEntityTypeConfiguration<Publication>
{
    public void Configure(EntityTypeBuilder<Publication> b)
    {
        b.ToTable("QuestionnairePublications");
        b.Property(p => p.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(p => p.Slug).HasMaxLength(20).IsRequired();
        b.Property(p => p.Title).HasMaxLength(100).IsRequired();
        b.Property(p => p.Intro).HasMaxLength(1000);
        b.Property(p => p.FormJson).IsRequired();
        b.Property(p => p.ScoreQuestion).HasMaxLength(20);
        b.Property(p => p.ScoreOptions).HasMaxLength(200);
        b.Property(p => p.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(p => p.UpdatedBy).HasMaxLength(100);
        b.HasIndex(p => p.Slug).IsUnique();
        b.HasIndex(p => new { p.QuestionnaireId, p.OrgPath });
        b.HasIndex(p => new { p.OrgPath, p.ClosesOn });
        b.HasOne<Questionnaire>().WithMany().HasForeignKey(p => p.QuestionnaireId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(p => p.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class QuestionnaireResponseConfiguration : IEntityTypeConfiguration<QuestionnaireResponse>
{
    public void Configure(EntityTypeBuilder<QuestionnaireResponse> b)
    {
        b.ToTable("QuestionnaireResponses");
        b.HasIndex(r => new { r.PublicationId, r.AnsweredOn });
        b.HasOne<Publication>().WithMany().HasForeignKey(r => r.PublicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class QuestionnaireAnswerConfiguration : IEntityTypeConfiguration<QuestionnaireAnswer>
{
    public void Configure(EntityTypeBuilder<QuestionnaireAnswer> b)
    {
        b.ToTable("QuestionnaireAnswers");
        b.Property(a => a.Question).HasMaxLength(20).IsRequired();
        b.Property(a => a.Row).HasMaxLength(20).IsRequired();
        b.Property(a => a.Choice).HasMaxLength(20).IsRequired();
        b.Property(a => a.Text).HasMaxLength(1000);
        // A tally key's recount is a count over this index alone (with the sheet, a multiple choice's answering sheets too).
        b.HasIndex(a => new { a.PublicationId, a.Question, a.Row, a.Choice, a.ResponseId }).HasDatabaseName("IX_QuestionnaireAnswers_Tally");
        b.HasIndex(a => a.ResponseId);
        b.HasOne<QuestionnaireResponse>().WithMany().HasForeignKey(a => a.ResponseId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class AnswerCodeConfiguration : IEntityTypeConfiguration<AnswerCode>
{
    public void Configure(EntityTypeBuilder<AnswerCode> b)
    {
        b.ToTable("QuestionnaireAnswerCodes");
        b.Property(c => c.Code).HasMaxLength(20).IsRequired();
        b.HasIndex(c => c.Code).IsUnique();
        b.HasIndex(c => new { c.PublicationId, c.Batch });
        b.HasOne<Publication>().WithMany().HasForeignKey(c => c.PublicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class BrowserMarkConfiguration : IEntityTypeConfiguration<BrowserMark>
{
    public void Configure(EntityTypeBuilder<BrowserMark> b)
    {
        b.ToTable("QuestionnaireBrowserMarks");
        b.HasKey(m => new { m.PublicationId, m.TokenHash });
        b.Property(m => m.TokenHash).HasMaxLength(64);
        b.HasOne<Publication>().WithMany().HasForeignKey(m => m.PublicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
