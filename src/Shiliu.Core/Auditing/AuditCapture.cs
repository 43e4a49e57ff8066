using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Shiliu.Core.Accounts;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;

namespace Shiliu.Core.Auditing;

/// <summary>Turns tracked changes into audit rows: who, what entity, before → after (secrets left out).</summary>
internal sealed class AuditCapture
{
    static readonly HashSet<Type> Skipped =
    [
        typeof(AuditEntry), typeof(UserSession), typeof(PasswordHistory), typeof(DataProtectionKey),
        typeof(IdentityUserToken<Guid>), typeof(IdentityUserLogin<Guid>), typeof(IdentityRoleClaim<Guid>),
        // An indicator draft is saved as a whole; its service writes one audit row with the whole table.
        typeof(Indicators.IndicatorGroup), typeof(Indicators.IndicatorSubgroup), typeof(Indicators.IndicatorCriterion),
        // Likewise a campaign's group and phases are saved with the campaign, audited as one row.
        typeof(Campaigns.LeadingGroupMember), typeof(Campaigns.CampaignPhase), typeof(Campaigns.PhaseTask),
        // Evidence links and activity head counts are written with their owner, whose service audits them in one row.
        typeof(Evidence.EvidenceRef), typeof(Activities.ActivityParticipant),
        // A resident's own history is already a change log (masked); the resident row itself is audited.
        typeof(Residents.ResidentChange),
        // Derived counts, rebuilt from audited rows; an import job's progress counters tick many times and the service
        // audits its upload, preview and commit as events of their own.
        typeof(Residents.ResidentTally), typeof(Residents.ResidentImport),
    ];

    // Bookkeeping columns whose change alone is not an audit-worthy edit (sign-in events cover them).
    static readonly HashSet<string> Noise =
    [
        nameof(IVersioned.Version), nameof(IVersioned.UpdatedUtc), nameof(IVersioned.UpdatedBy),
        nameof(AppUser.ConcurrencyStamp), nameof(AppUser.SecurityStamp), nameof(AppUser.AccessFailedCount),
        nameof(AppUser.LastSignInUtc), nameof(AppUser.TotpLastStep), nameof(AppUser.LockoutEnd),
        nameof(Tokens.PersonalAccessToken.LastUsedUtc),
    ];

    static readonly HashSet<string> Secret =
        [nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp)];

    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly EntityEntry _entry;
    readonly string _event;
    readonly string? _before;
    readonly string? _after;
    readonly List<string> _changed;
    readonly ShiliuDb _db;

    AuditCapture(ShiliuDb db, EntityEntry entry, string ev, string? before, List<string>? changed = null)
    {
        _db = db; _entry = entry; _event = ev; _before = before; _changed = changed ?? [];
        // Taken before the save: afterwards EF forgets which properties were modified.
        _after = ev == AuditEvents.Delete ? null : Snapshot(entry, original: false, onlyModified: ev == AuditEvents.Update);
    }

    public static List<AuditCapture> Before(ShiliuDb db)
    {
        var list = new List<AuditCapture>();
        foreach (var e in db.ChangeTracker.Entries())
        {
            if (Skipped.Contains(e.Metadata.ClrType)) continue;
            switch (e.State)
            {
                case EntityState.Added:
                    list.Add(new AuditCapture(db, e, AuditEvents.Create, null));
                    break;
                case EntityState.Deleted:
                    list.Add(new AuditCapture(db, e, AuditEvents.Delete, Snapshot(e, original: true, onlyModified: false)));
                    break;
                case EntityState.Modified:
                    var changed = e.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue))
                        .Select(p => p.Metadata.Name).ToList();
                    if (changed.All(Noise.Contains)) continue;
                    list.Add(new AuditCapture(db, e, AuditEvents.Update, Snapshot(e, original: true, onlyModified: true),
                        changed.Where(c => !Noise.Contains(c)).ToList()));
                    break;
            }
        }
        return list;
    }

    /// <summary>Called after the save, when generated keys are known.</summary>
    public AuditEntry Complete()
    {
        var entity = _entry.Entity;
        return new AuditEntry
        {
            Event = _event,
            EntityType = TypeName(_entry.Metadata.ClrType),
            EntityId = KeyOf(_entry),
            OrgPath = entity switch
            {
                OrgUnit u => u.Path,
                IOrgOwned o => o.OrgPath,
                AppUser u => u.OrgPath,
                _ => _db.Caller.OrgPath,
            },
            Summary = _changed.Count > 0 ? $"{Describe(entity)}：{string.Join("、", _changed.Select(FieldName).Distinct())}" : Describe(entity),
            Before = _before,
            After = _after,
        };
    }

    static string FieldName(string property) => property switch
    {
        "Name" => "名称", "Code" => "代码", "IsDisabled" => "停用状态", "ParentId" or "Path" => "上级单位", "SortOrder" => "排序",
        "DisplayName" => "姓名", "OrgUnitId" or "OrgPath" => "所属单位", "MustChangePassword" => "须修改密码",
        "PasswordChangedUtc" => "密码修改时间", "TwoFactorEnabled" => "双因素认证", "TotpSecret" => "动态口令密钥",
        "RevokedUtc" => "吊销", "Enabled" => "启用状态", "UserName" or "NormalizedUserName" => "用户名",
        "PasswordHash" => "密码", "LockoutEnabled" => "锁定策略", "Email" or "NormalizedEmail" => "邮箱", "PhoneNumber" => "电话",
        _ => property,
    };

    static string TypeName(Type t) => t == typeof(IdentityUserRole<Guid>) ? "UserRole" : t.Name;

    static string? Describe(object entity) => entity switch
    {
        OrgUnit u => $"{OrgUnit.LevelName(u.Level)} {u.Name}（{u.Code}）",
        AppUser u => $"用户 {u.UserName}",
        IdentityUserRole<Guid> => "用户角色",
        Tokens.PersonalAccessToken t => $"访问令牌 {t.Name}（{t.Prefix}…）",
        Dictionaries.DictionaryItem d => $"字典 {d.Kind} {d.Code} {d.Name}",
        Deliverables.Deliverable d => $"“十个一”：{Deliverables.TenItems.Names[d.ItemNo - 1]}",
        Campaigns.UnitTaskDone => "阶段任务完成情况",
        WorkReports.WorkReport r => $"工作信息《{r.Title}》（{WorkReports.WorkReportService.StatusName(r.Status)}）",
        Indicators.IndicatorFramework f => $"测评指标 第 {f.VersionNo} 版（{(f.Status == Indicators.FrameworkStatus.Published ? "已发布" : "草稿")}）",
        _ => null,
    };

    static string KeyOf(EntityEntry e) =>
        string.Join(",", e.Metadata.FindPrimaryKey()!.Properties.Select(p => e.Property(p.Name).CurrentValue?.ToString()));

    static string Snapshot(EntityEntry e, bool original, bool onlyModified)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.Properties)
        {
            var name = p.Metadata.Name;
            if (Secret.Contains(name) || Noise.Contains(name) && onlyModified) continue;
            if (p.Metadata.PropertyInfo?.GetCustomAttribute<NotAuditedAttribute>() is not null) continue;
            if (onlyModified && (!p.IsModified || Equals(p.OriginalValue, p.CurrentValue))) continue;
            var redacted = p.Metadata.PropertyInfo?.GetCustomAttribute<AuditRedactedAttribute>() is not null;
            values[name] = redacted ? "***" : original ? p.OriginalValue : p.CurrentValue;
        }
        return JsonSerializer.Serialize(values, Json);
    }
}
