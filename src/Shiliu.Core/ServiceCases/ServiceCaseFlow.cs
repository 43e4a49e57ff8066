using Shiliu.Core.Platform.Workflow;

namespace Shiliu.Core.ServiceCases;

public static class ServiceCaseFlow
{
    public const string Name = "service-case";

    /// <summary>States in which the clock stands still: waiting for the resident, and done (a 重办 resumes what was left).</summary>
    public static readonly IReadOnlySet<int> Pausing = new HashSet<int>
        { (int)ServiceCaseStatus.Suspended, (int)ServiceCaseStatus.Closed, (int)ServiceCaseStatus.Revisited, (int)ServiceCaseStatus.Archived };

    static readonly ServiceCaseStatus[] Open = [ServiceCaseStatus.Accepted, ServiceCaseStatus.InProgress];

    /// <summary>
    /// 受理 → 办理 → 办结 → 回访 → 归档. The holding unit handles, pauses (挂起, reason required) and resumes, 办结s with the
    /// result, and offers the case to another unit (转办, reason required, after <see cref="Handover.OfferAsync"/>); the
    /// receiver 接收s or 退回s it with a reason, and the sender hears either way. 回访 by the unit or one above; a 不满意
    /// 回访 reopens the case once (重办). Types without 回访 go 办结 → 归档 (the service checks which).
    /// </summary>
    public static readonly Workflow<ServiceCase, ServiceCaseStatus> Definition =
        new Workflow<ServiceCase, ServiceCaseStatus>(Name, "服务事项", c => c.Status, StatusName, c => $"服务事项 {c.Number}", c => c.Id)
            .Step("accept", "受理", [ServiceCaseStatus.New], ServiceCaseStatus.Accepted, ServiceCasePermissions.Manage, Actor.InScope)
            .Step("handle", "开始办理", [ServiceCaseStatus.Accepted], ServiceCaseStatus.InProgress, ServiceCasePermissions.Manage, Actor.OwnUnit)
            .Step("suspend", "挂起", Open, ServiceCaseStatus.Suspended, ServiceCasePermissions.Manage, Actor.OwnUnit, ReasonRule.Required, "挂起原因")
            .Step("resume", "恢复办理", [ServiceCaseStatus.Suspended], ServiceCaseStatus.InProgress, ServiceCasePermissions.Manage, Actor.OwnUnit)
            .Step("transfer", "转办", Open, ServiceCaseStatus.Offered, ServiceCasePermissions.Manage, Actor.OwnUnit, ReasonRule.Required, "转办原因")
            .Step("receive", "接收", [ServiceCaseStatus.Offered], ServiceCaseStatus.Accepted, ServiceCasePermissions.Manage, Actor.Receiver,
                effect: Handover.Accept)
            .Step("send-back", "退回", [ServiceCaseStatus.Offered], ServiceCaseStatus.InProgress, ServiceCasePermissions.Manage, Actor.Receiver,
                ReasonRule.Required, "退回原因", Handover.Return)
            .Step("close", "办结", Open, ServiceCaseStatus.Closed, ServiceCasePermissions.Manage, Actor.OwnUnit, ReasonRule.Required, "办理结果",
                (c, s) => (c.ClosedUtc, c.Result) = (s.NowUtc, s.Reason))
            .Step("revisit", "回访", [ServiceCaseStatus.Closed], ServiceCaseStatus.Revisited, ServiceCasePermissions.Manage, Actor.InScope,
                ReasonRule.Optional, "回访意见")
            .Step("reopen", "重办", [ServiceCaseStatus.Closed], ServiceCaseStatus.InProgress, ServiceCasePermissions.Manage, Actor.InScope,
                ReasonRule.Required, "不满意的原因", (c, _) => c.ReopenCount++)
            .Step("archive", "归档", [ServiceCaseStatus.Closed, ServiceCaseStatus.Revisited], ServiceCaseStatus.Archived, ServiceCasePermissions.Manage, Actor.InScope)
            .Link(c => $"/service-cases/{c.Id}")
            .NotifyOn("transfer", c => c.HandoverToPath ?? c.OrgPath, ServiceCasePermissions.Manage)
            // Read before the effect: the news of an acceptance or a return goes to the unit that offered the case.
            .NotifyOn("receive", c => c.OrgPath, ServiceCasePermissions.Manage)
            .NotifyOn("send-back", c => c.OrgPath, ServiceCasePermissions.Manage)
            .NotifyOn("reopen", c => c.OrgPath, ServiceCasePermissions.Manage);

    public static string StatusName(ServiceCaseStatus s) => s switch
    {
        ServiceCaseStatus.New => "待受理",
        ServiceCaseStatus.Accepted => "已受理",
        ServiceCaseStatus.InProgress => "办理中",
        ServiceCaseStatus.Suspended => "已挂起",
        ServiceCaseStatus.Offered => "转办待接收",
        ServiceCaseStatus.Closed => "已办结",
        ServiceCaseStatus.Revisited => "已回访",
        _ => "已归档",
    };

    public static string SourceName(ServiceSource s) => s switch
    {
        ServiceSource.Window => "窗口",
        ServiceSource.Hotline => "热线",
        ServiceSource.Visit => "走访",
        ServiceSource.Online => "群众线上",
        ServiceSource.OtherUnit => "其他单位",
        _ => "诉求转入",
    };

    public static string SatisfactionName(Satisfaction? s) => s switch
    {
        Satisfaction.Satisfied => "满意",
        Satisfaction.Basic => "基本满意",
        Satisfaction.Unsatisfied => "不满意",
        _ => "未回访",
    };
}
