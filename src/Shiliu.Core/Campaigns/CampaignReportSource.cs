using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Reporting;
using static Shiliu.Core.Reporting.ReportFormat;

namespace Shiliu.Core.Campaigns;

/// <summary>组织领导和工作方案: the campaign the unit works under, its leading group, and the unit plans filed and approved.</summary>
sealed class CampaignReportSource : IReportSource
{
    public string Permission => CampaignPermissions.View;

    public async Task<ReportPart?> ReadAsync(ShiliuDb db, ReportQuery q, CancellationToken ct)
    {
        if (q.CampaignId is not { } id) return null;
        var c = await db.Campaigns.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Title, x.DocNumber, x.IssuingOrg, x.IssueDate, Group = x.LeadingGroup.Count }).SingleAsync(ct);
        var plans = await db.UnitPlans.AsNoTracking().Under(p => p.OrgPath, q.UnitPath).Where(p => p.CampaignId == id)
            .GroupBy(p => p.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        var units = await db.CampaignUnits.AsNoTracking().Under(u => u.OrgPath, q.UnitPath).CountAsync(u => u.CampaignId == id, ct);
        var approved = plans.Where(p => p.Status == UnitPlanStatus.Approved).Sum(p => p.Count);
        var filed = plans.Where(p => p.Status != UnitPlanStatus.Draft).Sum(p => p.Count);
        var own = q.Level == OrgLevel.County ? null
            : await db.UnitPlans.AsNoTracking().Where(p => p.CampaignId == id && p.OrgUnitId == q.UnitId).Select(p => (UnitPlanStatus?)p.Status).FirstOrDefaultAsync(ct);

        var text = new List<string>
        {
            $"按照{c.IssuingOrg}《{c.Title}》（{c.DocNumber}）的部署，{q.UnitName}把民族团结进步创建工作列入重要议事日程"
            + (q.Level == OrgLevel.County ? $"，成立了由{Count(c.Group)}名成员组成的创建工作领导小组" : "，成立了创建工作领导小组（成员名单请补充）")
            + "，明确分管领导和工作人员，做到有人管事、有人干事。",
            q.Level == OrgLevel.Community
                ? own switch
                {
                    UnitPlanStatus.Approved => "结合本社区实际制定了创建工作方案，已报经上级审核通过，按方案分阶段推进。",
                    UnitPlanStatus.Reported => "结合本社区实际制定了创建工作方案，已上报待上级审核。",
                    UnitPlanStatus.Returned => "创建工作方案经上级审核退回修改，正在按意见完善。",
                    UnitPlanStatus.Draft => "创建工作方案正在起草中。",
                    _ => "本单位创建工作方案尚未在平台登记，请补充方案制定情况。",
                }
                : $"参加创建的{Count(units)}个单位中，{Count(filed)}个已上报本单位创建工作方案，{Count(approved)}个已审核通过。",
        };
        return new ReportPart(ReportSection.Work, 10, "加强组织领导，制定工作方案", text,
            $"创建活动方案《{c.Title}》和各单位工作方案的审核记录，截至{q.Today:yyyy年M月d日}",
            [
                new("组织领导", "参加创建的单位（个）", Count(units)),
                new("组织领导", "已上报工作方案（个）", Count(filed)),
                new("组织领导", "工作方案审核通过（个）", Count(approved)),
            ]);
    }
}
