using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Organizations;
using Shiliu.Core.Platform.Dashboards;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Core.Dashboards;

public static class DashboardPermissions
{
    public const string View = "perm.dashboard.view";
}

public static class DashboardErrors
{
    public static readonly ErrorCode Denied = ErrorCode.Denied("dashboard.denied");
    public static readonly ErrorCode Invalid = ErrorCode.Invalid("dashboard.invalid");
}

/// <summary>Whose figures and which period: the caller's own unit and this year to date when left out.</summary>
public sealed class DashboardRequest
{
    /// <summary>The unit whose subtree is counted (a township or community in the caller's scope); the caller's own unit when left out.</summary>
    public Guid? Unit { get; set; }
    /// <summary>First day of the period (China time); 1 January of this year when left out.</summary>
    public DateOnly? From { get; set; }
    /// <summary>Last day of the period; today when left out.</summary>
    public DateOnly? To { get; set; }
}

/// <summary>A view of the dashboard: the unit, its level, the period and every panel the caller may read, in order.</summary>
public sealed record DashboardView(Guid UnitId, string UnitName, OrgLevel Level, DateOnly From, DateOnly To, DateOnly Today, IReadOnlyList<DashboardPanel> Panels)
{
    /// <summary>How long each source took, for the API's Server-Timing header (operators and the bench see a slow panel by name).</summary>
    [JsonIgnore] public IReadOnlyList<SourceTiming> Timings { get; init; } = [];
}

/// <summary>One source's read time: its short name (the source type without "DashboardSource", lower case) and milliseconds.</summary>
public sealed record SourceTiming(string Name, double Milliseconds);

/// <summary>
/// 数据看板: the campaign at a glance for a unit's subtree and a period. Every panel comes from a module's
/// <see cref="IDashboardSource"/>, read through the caller's scoped context, so a figure never counts a record the caller
/// may not see and a county's totals are the sum of its townships'. One call reads every panel of a view.
/// </summary>
public sealed class DashboardService(IDbContextFactory<ShiliuDb> dbs, IEnumerable<IDashboardSource> sources, ExportService exports)
{
    public async Task<DashboardView> ReadAsync(DashboardRequest req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DashboardPermissions.View, DashboardErrors.Denied, "查看数据看板");
        return await ComputeAsync(db, req, ct);
    }

    async Task<DashboardView> ComputeAsync(ShiliuDb db, DashboardRequest req, CancellationToken ct)
    {
        var q = await QueryAsync(db, req, ct);
        var panels = new List<DashboardPanel>();
        var timings = new List<SourceTiming>();
        // One context, one source after another: a context is not thread-safe, and the sources are a few indexed aggregates each.
        foreach (var source in sources.Where(s => db.Caller.Can(s.Permission)).OrderBy(s => s.Order))
        {
            var started = Stopwatch.GetTimestamp();
            panels.AddRange(await source.ReadAsync(db, q, ct));
            timings.Add(new(source.GetType().Name.Replace("DashboardSource", "", StringComparison.Ordinal).ToLowerInvariant(),
                Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        return new DashboardView(q.UnitId, q.UnitName, q.Level, q.From, q.To, q.Today, panels) { Timings = timings };
    }

    /// <summary>
    /// Records that the caller saved the view as a picture (drawn in their browser from the charts on screen): an export
    /// like the workbook, so it leaves the same audit row, naming the unit and the period. Counts only, no person.
    /// </summary>
    public async Task NoteImageAsync(DashboardRequest req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DashboardPermissions.View, DashboardErrors.Denied, "导出数据看板");
        var q = await QueryAsync(db, req, ct);
        db.Audit(Auditing.AuditEvents.Export, $"导出{q.UnitName}数据看板图片（{q.From:yyyy年M月d日}至{q.To:yyyy年M月d日}）", "Dashboard", q.UnitId.ToString(), q.UnitPath);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The view's figures as a workbook (one row per figure, chart values and the matrix after them), audited and watermarked.</summary>
    public async Task<ExportFile> ExportAsync(DashboardRequest req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(DashboardPermissions.View, DashboardErrors.Denied, "导出数据看板");
        var v = await ComputeAsync(db, req, ct);
        var path = await db.OrgUnits.Where(o => o.Id == v.UnitId).Select(o => o.Path).SingleAsync(ct);
        var period = $"{v.From:yyyy年M月d日}至{v.To:yyyy年M月d日}";
        var spec = new ExportSpec($"{v.UnitName}数据看板{v.Today:yyyyMMdd}.xlsx", $"{v.UnitName}数据看板（{period}）", "Dashboard", v.UnitId.ToString(), path);
        return await exports.XlsxAsync(db, spec, book =>
        {
            var note = $"统计单位：{v.UnitName}　统计期间：{period}";
            using (var sheet = book.Sheet("指标", $"{v.UnitName}民族团结进步创建数据看板", ["板块", "指标", "数值", "单位", "数据来源"], [18, 30, 12, 8, 50], note))
                foreach (var p in v.Panels)
                foreach (var f in p.Figures)
                    sheet.Mixed([p.Title, f.Label, f.Value is { } x ? x : "—", f.Unit, p.Source]);
            var charts = v.Panels.Where(p => p.Chart is not null).ToList();
            if (charts.Count > 0)
            {
                using var sheet = book.Sheet("图表数据", $"{v.UnitName}数据看板图表数据", ["板块", "图表", "分类", "系列", "数值"], [18, 28, 18, 16, 12], note);
                foreach (var p in charts)
                foreach (var s in p.Chart!.Series)
                    for (var i = 0; i < s.Values.Count; i++)
                        sheet.Mixed([p.Title, p.Chart.Caption, p.Chart.Categories[i], s.Name, s.Values[i]]);
            }
            foreach (var p in v.Panels.Where(p => p.Matrix is not null))
            {
                var m = p.Matrix!;
                using var sheet = book.Sheet("矩阵", $"{v.UnitName}{p.Title}", ["单位", .. m.Columns], [24, .. m.Columns.Select(_ => 10.0)], note);
                foreach (var r in m.Rows) sheet.Row([r.Name, .. r.Cells.Select(c => c.Text)]);
            }
            return Task.CompletedTask;
        }, ct);
    }

    async Task<DashboardQuery> QueryAsync(ShiliuDb db, DashboardRequest req, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(db.UtcNow));
        var (from, to) = Periods.Check(req.From, req.To, today, DashboardErrors.Invalid);
        var unit = await db.FocusUnitAsync(req.Unit, ct);
        if (unit.Level == OrgLevel.Grid)
            throw RuleViolation.ForField(DashboardErrors.Invalid, "unit", "数据看板按县、乡镇（街道）或社区（村）查看，网格的数据在所属社区的看板中");
        // The panels that file by campaign read the one under way.
        var campaign = await db.CurrentCampaignIdAsync(ct);
        return new DashboardQuery(unit.Id, unit.Name, unit.Path, unit.Level, from, to, today, campaign);
    }
}
