using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Evidence;

/// <summary>
/// 痕迹台账 for the demo communities: small drawn documents (a sheet that says 演示材料 across it, never a real scan)
/// uploaded through the evidence service and filed under criteria of the published indicator framework, so the coverage
/// page and an assessment round's "from the record" figures have something to show. Coverage is mixed on purpose: some
/// communities have filed under most criteria, some under a few, every fifth under none yet.
/// </summary>
static class EvidenceDemo
{
    public const string Marker = "（演示材料）";

    /// <summary>Kinds of document and the 十个一 item each also shows (领导小组 minutes, 工作方案, 痕迹台账, 宣传展板, 汇报材料).</summary>
    static readonly (string Name, int Deliverable)[] Kinds = [("工作台账", 4), ("会议记录", 1), ("制度文件", 2), ("宣传照片", 7), ("工作总结", 6)];

    public static async Task SeedAsync(SeedContext seed, CancellationToken ct)
    {
        var db = seed.Db;
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.IsDemo && o.Level == OrgLevel.Community).OrderBy(o => o.Code).ToListAsync(ct);
        var ids = communities.Select(c => c.Id).ToList();
        if (communities.Count == 0 || await db.Evidence.AnyAsync(e => ids.Contains(e.OrgUnitId) && e.Title.EndsWith(Marker), ct)) return;
        var criteria = await EvidenceService.CurrentCriteriaAsync(db, ct);
        if (criteria.Count == 0) return;
        var evidence = seed.Services.GetRequiredService<EvidenceService>();
        var now = db.UtcNow;
        int files = 0, links = 0;
        for (var c = 0; c < communities.Count; c++)
        {
            var community = communities[c];
            var rng = DemoRandom.For("evidence-" + community.Code);
            // Every fifth community has filed nothing under the criteria yet; the others between a fifth and nine tenths of them
            // (the first, where the demo community account works, nearly all).
            var share = (c % 5) switch { 0 => 0.9, 1 => 0.45, 2 => 0.7, 3 => 0.2, _ => 0.0 };
            var chosen = criteria.OrderBy(_ => rng.Next()).Take((int)Math.Round(criteria.Count * share)).OrderBy(x => x.No).ToList();
            // One or two criteria a document.
            for (var i = 0; i < chosen.Count;)
            {
                var under = chosen.Skip(i).Take(rng.Next(1, 3)).ToList();
                i += under.Count;
                var first = under[0];
                var (kind, deliverable) = Kinds[rng.Next(Kinds.Length)];
                var daysAgo = rng.Next(5, 360);
                var date = DateOnly.FromDateTime(ChinaTime.ToChina(now.AddDays(-daysAgo)));
                var short_ = string.IsNullOrEmpty(first.ShortTitle) ? $"第{first.No}条" : first.ShortTitle;
                var title = $"{short_}{kind}{Marker}";
                var sheet = DemoCallers.Sheet($"{community.Name}{kind}",
                    ["（演示材料，由平台生成，内容为虚构）", $"日期：{date:yyyy年M月d日}", $"对应测评标准：{string.Join("、", under.Select(u => u.ShortTitle))}",
                     "一、基本情况……", "二、主要做法……", "三、下一步打算……"], c * 100 + i);
                var up = await evidence.UploadAsync(new EvidenceMeta
                {
                    OrgUnitId = community.Id, Year = date.Year, Title = title, Description = "演示材料：由平台绘制，内容为虚构。", Tags = "演示",
                    Criteria = under.Select(u => u.No).ToList(), Deliverables = [deliverable],
                }, $"{short_}{kind}.png", new MemoryStream(sheet), ct);
                // Filed on the day it describes (the list and the report period read the upload time).
                var item = await db.Evidence.SingleAsync(e => e.Id == up.Id, ct);
                item.UploadedUtc = now.AddDays(-daysAgo);
                await db.SaveChangesAsync(ct);
                files++;
                links += under.Count;
            }
        }
        seed.Report.Add($"已为演示社区上传 {files} 份演示材料，按测评标准归档 {links} 条（各社区覆盖程度不同）");
    }
}
