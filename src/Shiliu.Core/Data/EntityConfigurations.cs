using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Dictionaries;
using Shiliu.Core.Organizations;
using Shiliu.Core.Tokens;

namespace Shiliu.Core.Data;

sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> b)
    {
        b.Property(o => o.Name).HasMaxLength(100).IsRequired();
        b.Property(o => o.Code).HasMaxLength(32).IsRequired();
        b.Property(o => o.Path).HasMaxLength(400).IsRequired();
        b.Property(o => o.UpdatedBy).HasMaxLength(100);
        b.HasIndex(o => o.Code).IsUnique();
        b.HasIndex(o => o.Path);
        b.HasIndex(o => new { o.ParentId, o.SortOrder });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class DictionaryItemConfiguration : IEntityTypeConfiguration<DictionaryItem>
{
    public void Configure(EntityTypeBuilder<DictionaryItem> b)
    {
        b.Property(d => d.Kind).HasMaxLength(40).IsRequired();
        b.Property(d => d.Code).HasMaxLength(40).IsRequired();
        b.Property(d => d.Name).HasMaxLength(100).IsRequired();
        b.Property(d => d.Extra).HasMaxLength(200);
        b.Property(d => d.UpdatedBy).HasMaxLength(100);
        b.HasIndex(d => new { d.Kind, d.Code }).IsUnique();
    }
}

sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(50);
        b.Property(u => u.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(u => u.TotpSecret).HasMaxLength(400);
        b.Property(u => u.UpdatedBy).HasMaxLength(100);
        b.HasIndex(u => u.OrgPath);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(u => u.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class PasswordHistoryConfiguration : IEntityTypeConfiguration<PasswordHistory>
{
    public void Configure(EntityTypeBuilder<PasswordHistory> b)
    {
        b.Property(h => h.Hash).HasMaxLength(200).IsRequired();
        b.HasIndex(h => new { h.UserId, h.CreatedUtc });
        b.HasOne<AppUser>().WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.Property(s => s.EndReason).HasMaxLength(40);
        b.Property(s => s.Ip).HasMaxLength(64);
        b.HasIndex(s => s.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class AccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> b)
    {
        b.ToTable("AccessTokens");
        b.Property(t => t.Name).HasMaxLength(60).IsRequired();
        b.Property(t => t.Prefix).HasMaxLength(16).IsRequired();
        b.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.Event).HasMaxLength(40).IsRequired();
        b.Property(a => a.UserName).HasMaxLength(100).IsRequired();
        b.Property(a => a.UserId).HasMaxLength(40);
        b.Property(a => a.Ip).HasMaxLength(64);
        b.Property(a => a.RequestId).HasMaxLength(80);
        b.Property(a => a.OrgPath).HasMaxLength(400);
        b.Property(a => a.EntityType).HasMaxLength(60);
        b.Property(a => a.EntityId).HasMaxLength(120);
        b.Property(a => a.Summary).HasMaxLength(400);
        b.Property(a => a.PrevHash).HasMaxLength(64).IsRequired();
        b.Property(a => a.Hash).HasMaxLength(64).IsRequired();
        b.HasIndex(a => a.TimeUtc);
        b.HasIndex(a => new { a.EntityType, a.EntityId });
        b.HasIndex(a => a.UserName);
    }
}

sealed class IndicatorFrameworkConfiguration : IEntityTypeConfiguration<Indicators.IndicatorFramework>
{
    public void Configure(EntityTypeBuilder<Indicators.IndicatorFramework> b)
    {
        b.Property(f => f.Name).HasMaxLength(100).IsRequired();
        b.Property(f => f.Source).HasMaxLength(200);
        b.Property(f => f.PublishedBy).HasMaxLength(100);
        b.Property(f => f.UpdatedBy).HasMaxLength(100);
        b.HasIndex(f => f.VersionNo).IsUnique();
        b.HasMany(f => f.Groups).WithOne().HasForeignKey(g => g.FrameworkId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class IndicatorGroupConfiguration : IEntityTypeConfiguration<Indicators.IndicatorGroup>
{
    public void Configure(EntityTypeBuilder<Indicators.IndicatorGroup> b)
    {
        b.Property(g => g.Name).HasMaxLength(50).IsRequired();
        b.HasMany(g => g.Subgroups).WithOne().HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class IndicatorSubgroupConfiguration : IEntityTypeConfiguration<Indicators.IndicatorSubgroup>
{
    public void Configure(EntityTypeBuilder<Indicators.IndicatorSubgroup> b)
    {
        b.Property(s => s.Name).HasMaxLength(50).IsRequired();
        b.HasMany(s => s.Criteria).WithOne().HasForeignKey(c => c.SubgroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class IndicatorCriterionConfiguration : IEntityTypeConfiguration<Indicators.IndicatorCriterion>
{
    public void Configure(EntityTypeBuilder<Indicators.IndicatorCriterion> b)
    {
        b.Property(c => c.Text).HasMaxLength(500).IsRequired();
    }
}

sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaigns.Campaign>
{
    public void Configure(EntityTypeBuilder<Campaigns.Campaign> b)
    {
        b.Property(c => c.Title).HasMaxLength(200).IsRequired();
        b.Property(c => c.DocNumber).HasMaxLength(60);
        b.Property(c => c.IssuingOrg).HasMaxLength(100);
        b.Property(c => c.GuidingIdeas).HasMaxLength(10_000);
        b.Property(c => c.Goals).HasMaxLength(10_000);
        b.Property(c => c.MainTasks).HasMaxLength(10_000);
        b.Property(c => c.UpdatedBy).HasMaxLength(100);
        b.HasMany(c => c.LeadingGroup).WithOne().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Phases).WithOne().HasForeignKey(p => p.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class LeadingGroupMemberConfiguration : IEntityTypeConfiguration<Campaigns.LeadingGroupMember>
{
    public void Configure(EntityTypeBuilder<Campaigns.LeadingGroupMember> b)
    {
        b.Property(m => m.Duty).HasMaxLength(20).IsRequired();
        b.Property(m => m.Name).HasMaxLength(30).IsRequired();
        b.Property(m => m.Post).HasMaxLength(60);
        b.Property(m => m.Org).HasMaxLength(60);
    }
}

sealed class CampaignPhaseConfiguration : IEntityTypeConfiguration<Campaigns.CampaignPhase>
{
    public void Configure(EntityTypeBuilder<Campaigns.CampaignPhase> b)
    {
        b.Property(p => p.Name).HasMaxLength(60).IsRequired();
        b.HasMany(p => p.Tasks).WithOne().HasForeignKey(t => t.PhaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class PhaseTaskConfiguration : IEntityTypeConfiguration<Campaigns.PhaseTask>
{
    public void Configure(EntityTypeBuilder<Campaigns.PhaseTask> b) => b.Property(t => t.Text).HasMaxLength(500).IsRequired();
}

sealed class CampaignUnitConfiguration : IEntityTypeConfiguration<Campaigns.CampaignUnit>
{
    public void Configure(EntityTypeBuilder<Campaigns.CampaignUnit> b)
    {
        b.Property(u => u.OrgPath).HasMaxLength(400).IsRequired();
        b.HasIndex(u => new { u.CampaignId, u.OrgUnitId }).IsUnique();
        b.HasIndex(u => u.OrgPath);
        b.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(u => u.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(u => u.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class UnitTaskDoneConfiguration : IEntityTypeConfiguration<Campaigns.UnitTaskDone>
{
    public void Configure(EntityTypeBuilder<Campaigns.UnitTaskDone> b)
    {
        b.Property(d => d.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.Evidence).HasMaxLength(1000).IsRequired();
        b.Property(d => d.DoneBy).HasMaxLength(100).IsRequired();
        b.Property(d => d.ReturnReason).HasMaxLength(500);
        b.Property(d => d.ReturnedBy).HasMaxLength(100);
        b.HasIndex(d => new { d.CampaignUnitId, d.PhaseTaskId }).IsUnique();
        b.HasIndex(d => d.OrgPath);
        b.HasOne<Campaigns.CampaignUnit>().WithMany().HasForeignKey(d => d.CampaignUnitId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Campaigns.PhaseTask>().WithMany().HasForeignKey(d => d.PhaseTaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class DeliverableConfiguration : IEntityTypeConfiguration<Deliverables.Deliverable>
{
    public void Configure(EntityTypeBuilder<Deliverables.Deliverable> b)
    {
        b.Property(d => d.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(d => d.Owner).HasMaxLength(30);
        b.Property(d => d.Evidence).HasMaxLength(1000);
        b.Property(d => d.ReturnReason).HasMaxLength(500);
        b.Property(d => d.ReviewedBy).HasMaxLength(100);
        b.Property(d => d.UpdatedBy).HasMaxLength(100);
        b.HasIndex(d => new { d.CampaignId, d.OrgUnitId, d.ItemNo }).IsUnique();
        b.HasIndex(d => new { d.CampaignId, d.OrgPath });
        b.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(d => d.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(d => d.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class WorkReportConfiguration : IEntityTypeConfiguration<WorkReports.WorkReport>
{
    public void Configure(EntityTypeBuilder<WorkReports.WorkReport> b)
    {
        b.Property(r => r.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(r => r.Title).HasMaxLength(100).IsRequired();
        b.Property(r => r.Body).HasMaxLength(50_000).IsRequired();
        b.Property(r => r.Author).HasMaxLength(100).IsRequired();
        b.Property(r => r.ReviewedBy).HasMaxLength(100);
        b.Property(r => r.ReturnReason).HasMaxLength(500);
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        b.HasIndex(r => new { r.OrgPath, r.Status });
        b.HasIndex(r => r.Published);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class EvidenceItemConfiguration : IEntityTypeConfiguration<Evidence.EvidenceItem>
{
    public void Configure(EntityTypeBuilder<Evidence.EvidenceItem> b)
    {
        b.ToTable("EvidenceItems");
        b.Property(e => e.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(e => e.Title).HasMaxLength(100).IsRequired();
        b.Property(e => e.FileName).HasMaxLength(120).IsRequired();
        b.Property(e => e.Format).HasMaxLength(10).IsRequired();
        b.Property(e => e.ContentType).HasMaxLength(120).IsRequired();
        b.Property(e => e.Sha256).HasMaxLength(64).IsRequired();
        b.Property(e => e.StorageKey).HasMaxLength(200).IsRequired();
        b.Property(e => e.ThumbnailKey).HasMaxLength(200);
        b.Property(e => e.Description).HasMaxLength(1000);
        b.Property(e => e.Tags).HasMaxLength(200);
        b.Property(e => e.UploadedBy).HasMaxLength(100).IsRequired();
        b.Property(e => e.DeletedBy).HasMaxLength(100);
        b.Property(e => e.UpdatedBy).HasMaxLength(100);
        // The list is newest first: (UploadedUtc, Id) serves that order without a sort, so a page stops after its rows;
        // (OrgPath, DeletedUtc, Year, Category) covers the count and the subtree filters without reading the table.
        b.HasIndex(e => new { e.OrgPath, e.DeletedUtc, e.Year, e.Category });
        b.HasIndex(e => new { e.UploadedUtc, e.Id });
        b.HasIndex(e => new { e.OrgUnitId, e.Sha256 });
        b.HasIndex(e => e.ActivityId);
        b.HasMany(e => e.Refs).WithOne().HasForeignKey(r => r.EvidenceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(e => e.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Activities.Activity>().WithMany().HasForeignKey(e => e.ActivityId).OnDelete(DeleteBehavior.SetNull);
    }
}

sealed class EvidenceRefConfiguration : IEntityTypeConfiguration<Evidence.EvidenceRef>
{
    public void Configure(EntityTypeBuilder<Evidence.EvidenceRef> b)
    {
        b.HasKey(r => new { r.EvidenceId, r.Kind, r.No });
        b.HasIndex(r => new { r.Kind, r.No });
    }
}

sealed class DossierJobConfiguration : IEntityTypeConfiguration<Evidence.DossierJob>
{
    public void Configure(EntityTypeBuilder<Evidence.DossierJob> b)
    {
        b.Property(j => j.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.RequesterPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.UnitName).HasMaxLength(100).IsRequired();
        b.Property(j => j.StorageKey).HasMaxLength(200);
        b.Property(j => j.Error).HasMaxLength(500);
        b.Property(j => j.RequestedBy).HasMaxLength(100).IsRequired();
        b.HasIndex(j => new { j.OrgUnitId, j.RequestedUtc });
        b.HasIndex(j => j.Status);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(j => j.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ActivityConfiguration : IEntityTypeConfiguration<Activities.Activity>
{
    public void Configure(EntityTypeBuilder<Activities.Activity> b)
    {
        b.Property(a => a.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(a => a.TypeCode).HasMaxLength(40).IsRequired();
        b.Property(a => a.Title).HasMaxLength(100).IsRequired();
        b.Property(a => a.Place).HasMaxLength(100).IsRequired();
        b.Property(a => a.Organiser).HasMaxLength(100).IsRequired();
        b.Property(a => a.Description).HasMaxLength(2000);
        b.Property(a => a.Criteria).HasMaxLength(100).IsRequired();
        b.Property(a => a.UpdatedBy).HasMaxLength(100);
        b.HasIndex(a => new { a.OrgPath, a.Date });
        b.HasIndex(a => a.Date);
        b.HasMany(a => a.Participants).WithOne().HasForeignKey(p => p.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(a => a.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Activities.Festival>().WithMany().HasForeignKey(a => a.FestivalId).OnDelete(DeleteBehavior.SetNull);
    }
}

sealed class ActivityParticipantConfiguration : IEntityTypeConfiguration<Activities.ActivityParticipant>
{
    public void Configure(EntityTypeBuilder<Activities.ActivityParticipant> b)
    {
        b.HasKey(p => new { p.ActivityId, p.EthnicityCode });
        b.Property(p => p.EthnicityCode).HasMaxLength(40);
    }
}

sealed class FestivalConfiguration : IEntityTypeConfiguration<Activities.Festival>
{
    public void Configure(EntityTypeBuilder<Activities.Festival> b)
    {
        b.Property(f => f.Name).HasMaxLength(40).IsRequired();
        b.Property(f => f.Ethnicities).HasMaxLength(60).IsRequired();
        b.Property(f => f.Description).HasMaxLength(500);
        b.Property(f => f.UpdatedBy).HasMaxLength(100);
        b.HasIndex(f => f.Name).IsUnique();
    }
}

sealed class ResidentConfiguration : IEntityTypeConfiguration<Residents.Resident>
{
    public void Configure(EntityTypeBuilder<Residents.Resident> b)
    {
        b.Property(r => r.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(r => r.Name).HasMaxLength(50).IsRequired();
        b.Property(r => r.EthnicityCode).HasMaxLength(40).IsRequired();
        b.Property(r => r.IdNumberCipher).HasMaxLength(400).IsRequired();
        b.Property(r => r.IdNumberHash).HasMaxLength(64).IsRequired();
        b.Property(r => r.IdNumberMasked).HasMaxLength(18).IsRequired();
        b.Property(r => r.PhoneCipher).HasMaxLength(400);
        b.Property(r => r.PhoneHash).HasMaxLength(64);
        b.Property(r => r.PhoneMasked).HasMaxLength(20);
        b.Property(r => r.HouseholdNo).HasMaxLength(30);
        b.Property(r => r.RelationToHead).HasMaxLength(20);
        b.Property(r => r.Address).HasMaxLength(200);
        b.Property(r => r.OriginPlace).HasMaxLength(100);
        b.Property(r => r.ExpectedStay).HasMaxLength(30);
        b.Property(r => r.ArrivalReason).HasMaxLength(50);
        b.Property(r => r.Employer).HasMaxLength(100);
        b.Property(r => r.Languages).HasMaxLength(100);
        b.Property(r => r.Religion).HasMaxLength(30);
        b.Property(r => r.Notes).HasMaxLength(500);
        b.Property(r => r.UpdatedBy).HasMaxLength(100);
        // One record per ID number county-wide; lists page through a subtree in household order.
        b.HasIndex(r => r.IdNumberHash).IsUnique();
        b.HasIndex(r => r.PhoneHash);
        b.HasIndex(r => new { r.OrgPath, r.HouseholdNo, r.Name });
        b.HasIndex(r => new { r.OrgPath, r.EthnicityCode });
        b.HasIndex(r => r.BirthDate);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ResidentChangeConfiguration : IEntityTypeConfiguration<Residents.ResidentChange>
{
    public void Configure(EntityTypeBuilder<Residents.ResidentChange> b)
    {
        b.Property(c => c.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(c => c.UserName).HasMaxLength(100).IsRequired();
        b.Property(c => c.Action).HasMaxLength(20).IsRequired();
        b.Property(c => c.Details).HasMaxLength(4000).IsRequired();
        b.HasIndex(c => new { c.ResidentId, c.TimeUtc });
        b.HasOne<Residents.Resident>().WithMany().HasForeignKey(c => c.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ResidentTransferConfiguration : IEntityTypeConfiguration<Residents.ResidentTransfer>
{
    public void Configure(EntityTypeBuilder<Residents.ResidentTransfer> b)
    {
        b.Property(t => t.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(t => t.ToOrgPath).HasMaxLength(400).IsRequired();
        b.Property(t => t.ToUnitName).HasMaxLength(100).IsRequired();
        b.Property(t => t.FromUnitName).HasMaxLength(100).IsRequired();
        b.Property(t => t.ResidentName).HasMaxLength(50).IsRequired();
        b.Property(t => t.Reason).HasMaxLength(200).IsRequired();
        b.Property(t => t.RequestedBy).HasMaxLength(100).IsRequired();
        b.Property(t => t.DecidedBy).HasMaxLength(100);
        b.Property(t => t.RefuseReason).HasMaxLength(200);
        b.HasIndex(t => new { t.ResidentId, t.Status });
        b.HasIndex(t => t.OrgPath);
        b.HasIndex(t => t.ToOrgPath);
        b.HasOne<Residents.Resident>().WithMany().HasForeignKey(t => t.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class VisitConfiguration : IEntityTypeConfiguration<Residents.Visit>
{
    public void Configure(EntityTypeBuilder<Residents.Visit> b)
    {
        b.Property(v => v.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(v => v.HouseholdNo).HasMaxLength(30);
        b.Property(v => v.Visitor).HasMaxLength(50).IsRequired();
        b.Property(v => v.Findings).HasMaxLength(2000).IsRequired();
        b.Property(v => v.FollowUp).HasMaxLength(500);
        b.Property(v => v.UpdatedBy).HasMaxLength(100);
        b.HasIndex(v => new { v.ResidentId, v.VisitDate });
        b.HasIndex(v => new { v.OrgPath, v.VisitDate });
        b.HasOne<Residents.Resident>().WithMany().HasForeignKey(v => v.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ResidentImportConfiguration : IEntityTypeConfiguration<Residents.ResidentImport>
{
    public void Configure(EntityTypeBuilder<Residents.ResidentImport> b)
    {
        b.Property(j => j.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.RequesterPath).HasMaxLength(400).IsRequired();
        b.Property(j => j.UnitName).HasMaxLength(100).IsRequired();
        b.Property(j => j.FileName).HasMaxLength(200).IsRequired();
        b.Property(j => j.FileSha256).HasMaxLength(64).IsRequired();
        b.Property(j => j.Error).HasMaxLength(1000);
        b.Property(j => j.RequestedBy).HasMaxLength(100).IsRequired();
        b.Property(j => j.CommittedBy).HasMaxLength(100);
        b.Property(j => j.UpdatedBy).HasMaxLength(100);
        b.HasIndex(j => new { j.OrgPath, j.RequestedUtc });
        b.HasIndex(j => new { j.OrgUnitId, j.FileSha256 });
        b.HasIndex(j => j.Status);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(j => j.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class GridMemberConfiguration : IEntityTypeConfiguration<Residents.GridMember>
{
    public void Configure(EntityTypeBuilder<Residents.GridMember> b)
    {
        b.Property(m => m.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(m => m.Name).HasMaxLength(50).IsRequired();
        b.Property(m => m.Phone).HasMaxLength(20);
        b.Property(m => m.UpdatedBy).HasMaxLength(100);
        b.HasIndex(m => new { m.GridId, m.SortOrder });
        b.HasIndex(m => m.OrgPath);
        b.HasIndex(m => m.UserId);
        b.HasOne<Organizations.OrgUnit>().WithMany().HasForeignKey(m => m.GridId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class GridInfoConfiguration : IEntityTypeConfiguration<Residents.GridInfo>
{
    public void Configure(EntityTypeBuilder<Residents.GridInfo> b)
    {
        b.Property(g => g.Id).ValueGeneratedNever();
        b.Property(g => g.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(g => g.Bounds).HasMaxLength(300);
        b.Property(g => g.Covers).HasMaxLength(500);
        b.Property(g => g.Notes).HasMaxLength(500);
        b.Property(g => g.UpdatedBy).HasMaxLength(100);
        b.HasIndex(g => g.OrgPath);
        b.HasOne<Organizations.OrgUnit>().WithOne().HasForeignKey<Residents.GridInfo>(g => g.Id).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ResidentTallyConfiguration : IEntityTypeConfiguration<Residents.ResidentTally>
{
    public void Configure(EntityTypeBuilder<Residents.ResidentTally> b)
    {
        b.Property(t => t.OrgPath).HasMaxLength(400).IsRequired();
        b.Property(t => t.Key).HasMaxLength(40).IsRequired();
        // Rebuilt per community; read by subtree prefix and kind.
        b.HasIndex(t => t.CommunityId);
        b.HasIndex(t => new { t.Kind, t.OrgPath });
    }
}
