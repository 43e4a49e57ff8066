using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
namespace Shiliu.Core.Auditing;

/// <summary>One append-only audit record; <see cref="Hash"/> chains it to the previous record.</summary>
[Data.ScopedElsewhere("AuditService reads its own subtree plus rows tied to no unit (failed sign-ins of unknown names)")]
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime TimeUtc { get; set; }
    public string Event { get; set; } = "";
    public bool Success { get; set; } = true;
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public string? Ip { get; set; }
    public string? RequestId { get; set; }
    public string? OrgPath { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? Summary { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
}

public static class AuditEvents
{
    public const string Create = "entity.create";
    public const string Update = "entity.update";
    public const string Delete = "entity.delete";
    public const string SignIn = "auth.sign_in";
    public const string SignInFailed = "auth.sign_in_failed";
    public const string SignOut = "auth.sign_out";
    public const string LockedOut = "auth.locked_out";
    public const string PasswordChanged = "auth.password_changed";
    public const string TotpEnabled = "auth.totp_enabled";
    public const string TotpFailed = "auth.totp_failed";
    public const string RoleGranted = "auth.role_granted";
    public const string RoleRevoked = "auth.role_revoked";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string AccessDenied = "auth.access_denied";
    public const string DormantDisabled = "auth.dormant_disabled";
    public const string PersonalDataView = "personal.view";
    public const string PersonalDataExport = "personal.export";
    public const string PersonalDataLookup = "personal.lookup";
    public const string RegisteredElsewhere = "resident.registered_elsewhere";
    public const string AuditExport = "audit.export";
    public const string Operator = "operator.command";
    public const string Verified = "audit.verified";
    public const string Export = "data.export";
    public const string WorkflowStep = "workflow.step";

    public static string ChineseName(string ev) => ev switch
    {
        Create => "新增",
        Update => "修改",
        Delete => "删除",
        SignIn => "登录成功",
        SignInFailed => "登录失败",
        SignOut => "退出登录",
        LockedOut => "账户锁定",
        PasswordChanged => "修改密码",
        TotpEnabled => "启用双因素认证",
        TotpFailed => "动态口令错误",
        RoleGranted => "授予角色",
        RoleRevoked => "撤销角色",
        TokenCreated => "创建访问令牌",
        TokenRevoked => "吊销访问令牌",
        AccessDenied => "越权访问被拒绝",
        DormantDisabled => "停用长期未用账号",
        PersonalDataView => "查看个人信息",
        PersonalDataExport => "导出个人信息",
        PersonalDataLookup => "按身份证号查找",
        RegisteredElsewhere => "重复登记（已在其他单位登记）",
        AuditExport => "导出审计日志",
        Operator => "运维命令",
        Verified => "审计日志校验",
        Export => "导出数据",
        WorkflowStep => "办理流程",
        _ => ev,
    };
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
