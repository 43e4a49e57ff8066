using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.JointMeetings;
using Shiliu.Core.Platform.Todos;
using Shiliu.Core.Platform.Workflow;
using Shiliu.Tests.Infrastructure;
using TaskStatus = Shiliu.Core.JointMeetings.TaskStatus;

namespace Shiliu.Tests.JointMeetings;

public sealed class JointMeetingTests
{
    static JointMeetingService M(IServiceProvider sp) => sp.GetRequiredService<JointMeetingService>();
    static MeetingTaskService T(IServiceProvider sp) => sp.GetRequiredService<MeetingTaskService>();

    /// <summary>公安、城管、民政 for the user's own unit, by name.</summary>
    internal static async Task<Dictionary<string, Guid>> DepartmentsAsync(ShiliuApp app, string user = "township")
    {
        var ids = new Dictionary<string, Guid>();
        foreach (var (name, contact, post, phone) in new[] { ("公安派出所", "李明", "副所长", "0877-7011001"), ("城管中队", "王芳", "中队长", "0877-7011002"), ("民政办", "张华", "主任", "0877-7011003") })
            ids[name] = await app.AsAsync(user, sp => M(sp).SaveDepartmentAsync(null, new SaveDepartment { Name = name, ContactName = contact, ContactPost = post, WorkPhone = phone }));
        return ids;
    }

    internal static SaveMeeting Meeting(Dictionary<string, Guid> d, DateTime start, string title = "2026年第四季度矛盾纠纷联席会议") => new()
    {
        Title = title, Start = start, End = start.AddHours(2), Place = "桂山街道办事处三楼会议室", HostName = "杨建国", HostPost = "街道党工委副书记", RecorderName = "刘婷",
        Attendees =
        [
            new() { Kind = AttendanceKind.Present, DepartmentId = d["公安派出所"], Name = "李明", Post = "副所长" },
            new() { Kind = AttendanceKind.Present, DepartmentId = d["城管中队"], Name = "王芳", Post = "中队长" },
            new() { Kind = AttendanceKind.Absent, DepartmentId = d["民政办"], Name = "张华", Post = "主任", AbsenceReason = "出差" },
            new() { Kind = AttendanceKind.Observer, Unit = "城中社区", Name = "赵丽", Post = "社区书记" },
        ],
        Agenda = [new() { Title = "城中社区两户宅基地界址纠纷的化解" }, new() { Title = "农贸市场占道经营整治", Notes = "涉及多民族商户" }],
        Minutes = "杨建国通报了本季度矛盾纠纷排查情况。\n李明介绍了界址纠纷的调查情况。",
    };

    static async Task<Guid> EvidenceAsync(ShiliuApp app, string user = "township", string unitCode = "530427001000")
    {
        var unit = await app.UnitAsync(unitCode);
        return (await app.AsAsync(user, sp => sp.GetRequiredService<EvidenceService>().UploadAsync(new EvidenceMeta { OrgUnitId = unit.Id, Year = 2026, Title = "整改完成照片" },
            "整改完成.jpg", new MemoryStream(Evidence.TestFiles.Jpeg(40, 30, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), 80, 120)))))).Id;
    }

    static async Task<(byte[] Bytes, string Name)> ExportAsync(ShiliuApp app, Func<IServiceProvider, Task<Shiliu.Core.Platform.Exports.ExportFile>> export) =>
        await app.AsAsync("township", async sp => await Exports.ReadAsync(await export(sp)));

    static string[][] Cells(byte[] bytes)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var wb = doc.WorkbookPart!;
        var part = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().First().Id!);
        return part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(x => x.InlineString?.InnerText ?? x.CellValue?.Text ?? "").ToArray()).ToArray();
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_meeting_is_recorded_with_attendance_and_agenda_and_exported_as_the_offices_record(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var d = await DepartmentsAsync(app);
        var id = await app.AsAsync("township", sp => M(sp).SaveAsync(null, Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0))));
        var m = await app.AsAsync("township", sp => M(sp).GetAsync(id));
        Assert.Equal(("桂山街道", "杨建国", "街道党工委副书记"), (m.UnitName, m.HostName, m.HostPost));
        Assert.Equal(new DateTime(2026, 11, 20, 1, 0, 0), m.StartUtc);
        Assert.Equal(["出席 公安派出所 李明", "出席 城管中队 王芳", "缺席 民政办 张华", "列席 城中社区 赵丽"], m.Attendees.Select(a => $"{a.KindName} {a.Unit} {a.Name}"));
        Assert.Equal("出差", m.Attendees.Single(a => a.Kind == AttendanceKind.Absent).AbsenceReason);
        Assert.Equal([(1, "城中社区两户宅基地界址纠纷的化解"), (2, "农贸市场占道经营整治")], m.Agenda.Select(a => (a.No, a.Title)));

        // An absence without its reason is refused, naming the row's field.
        var bad = Meeting(d, new DateTime(2026, 11, 21, 9, 0, 0));
        bad.Attendees[2].AbsenceReason = " ";
        var refused = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() => M(sp).SaveAsync(null, bad)));
        Assert.Equal("请填写第3位参会人员的缺席原因（如 请假、出差）", Assert.Single(refused.Fields["attendees[2].absenceReason"]));
        var late = Meeting(d, new DateTime(2026, 11, 21, 9, 0, 0));
        late.End = late.Start.AddMinutes(-5);
        Assert.Contains("end", (await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() => M(sp).SaveAsync(null, late)))).Fields.Keys);

        // Correcting the record replaces attendance and agenda whole; a stale version is refused.
        var fix = Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0));
        fix.Agenda.RemoveAt(1);
        fix.Version = m.Version;
        await app.AsAsync("township", sp => M(sp).SaveAsync(id, fix));
        Assert.Single((await app.AsAsync("township", sp => M(sp).GetAsync(id))).Agenda);
        await app.AsAsync("township", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() => M(sp).SaveAsync(id, fix)));

        // Communities do not convene (DESIGN names townships and the county) and do not see these meetings.
        var community = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() => M(sp).SaveAsync(null, Meeting(d, DateTime.Today))));
        Assert.Equal(JointMeetingErrors.Denied, community.Error);

        // The record as offices file it.
        var (bytes, name) = await ExportAsync(app, sp => sp.GetRequiredService<MeetingExportService>().RecordAsync(id));
        Assert.Equal("桂山街道联席会议记录-20261120.xlsx", name);
        var cells = Cells(bytes).Where(r => r.Length == 2).ToDictionary(r => r[0], r => r[1]);
        Assert.Equal("2026年11月20日 09时00分至11时00分", cells["时间"]);
        Assert.Equal("杨建国（街道党工委副书记）", cells["主持人"]);
        Assert.Equal("公安派出所 李明（副所长）；城管中队 王芳（中队长）", cells["出席人（2人）"]);
        Assert.Equal("民政办 张华（主任），出差", cells["缺席人（1人）"]);
        Assert.Equal("城中社区 赵丽（社区书记）", cells["列席人（1人）"]);
        Assert.Equal("刘婷", cells["记录人"]);
        Assert.Equal("一、城中社区两户宅基地界址纠纷的化解", cells["议程"]);
        Assert.Equal("散会", cells[""]);

        // The 纪要 draft in Word, laid out as GB/T 9704 §10.3 has it.
        await using var summary = await app.AsAsync("township", sp => sp.GetRequiredService<MeetingSummaryService>().DocxAsync(id));
        Assert.Equal("桂山街道联席会议纪要-20261120.docx", summary.FileName);
        using var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(summary.Content, false);
        var paragraphs = word.MainDocumentPart!.Document.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Equal("桂山街道联席会议纪要", paragraphs[0]);
        Assert.Equal("FF0000", word.MainDocumentPart.Document.Body.Descendants<DocumentFormat.OpenXml.Wordprocessing.Color>().First().Val!.Value);
        Assert.Contains(paragraphs, p => p.StartsWith("2026年11月20日，杨建国（街道党工委副书记）在桂山街道办事处三楼会议室主持召开") && p.EndsWith("会议未形成议定事项。"));
        Assert.Contains("出席：公安派出所李明，城管中队王芳", paragraphs);
        Assert.Contains("请假：民政办张华", paragraphs);
        Assert.Contains("列席：城中社区赵丽", paragraphs);
        await using (var db = await app.SystemDbAsync())
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == Shiliu.Core.Auditing.AuditEvents.Export && a.Summary!.StartsWith("导出会议纪要")));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Decisions_become_tasks_and_a_task_closes_only_with_evidence_and_a_note(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var d = await DepartmentsAsync(app);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        var meeting = await app.AsAsync("township", sp => M(sp).SaveAsync(null, Meeting(d, ChinaTime.ToChina(DateTime.UtcNow).Date.AddHours(-15))));
        var first = await app.AsAsync("township", sp => T(sp).AddAsync(meeting, new SaveTask
            { Matter = "查清两户宅基地界址，出具调查意见", LeadDepartmentId = d["公安派出所"], CoDepartmentIds = [d["民政办"], d["公安派出所"]], DueDate = today.AddDays(10) }));
        var second = await app.AsAsync("township", sp => T(sp).AddAsync(meeting, new SaveTask
            { Matter = "农贸市场划线设摊", LeadDepartmentId = d["城管中队"], DueDate = today.AddDays(20) }));
        var task = (await app.AsAsync("township", sp => T(sp).GetAsync(first))).Task;
        Assert.Equal((1, "公安派出所", "民政办", TaskStatus.Open), (task.No, task.LeadDepartment, task.CoDepartments, task.Status));
        Assert.Equal(2, (await app.AsAsync("township", sp => T(sp).GetAsync(second))).Task.No);
        var noLead = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() => T(sp).AddAsync(meeting, new SaveTask { Matter = "x", LeadDepartmentId = Guid.NewGuid(), DueDate = today })));
        Assert.Contains("leadDepartmentId", noLead.Fields.Keys);
        var noDue = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() => T(sp).AddAsync(meeting, new SaveTask { Matter = "x", LeadDepartmentId = d["城管中队"] })));
        Assert.Equal("请填写完成时限（日期或工作日数）", Assert.Single(noDue.Fields["dueDate"]));

        // Progress is filed for the lead or a co-department only.
        await app.AsAsync("township", sp => T(sp).AddProgressAsync(first, new SaveProgress { Date = today, DepartmentId = d["公安派出所"], Text = "已实地测量，调取了1998年的宅基地批复" }));
        var notHers = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            T(sp).AddProgressAsync(first, new SaveProgress { Date = today, DepartmentId = d["城管中队"], Text = "无关" })));
        Assert.Contains("departmentId", notHers.Fields.Keys);

        // 销号 without evidence is refused naming the field, in Chinese; without a note likewise.
        var noEvidence = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            T(sp).CloseAsync(first, new CloseTask { Note = "双方已签订协议", Version = task.Version })));
        Assert.Equal(JointMeetingErrors.Evidence, noEvidence.Error);
        Assert.Equal("销号须附佐证材料：请上传办结材料或选择痕迹台账中的材料", Assert.Single(noEvidence.Fields["evidenceId"]));
        var evidence = await EvidenceAsync(app);
        var noNote = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            T(sp).CloseAsync(first, new CloseTask { EvidenceId = evidence, Version = task.Version })));
        Assert.Contains("note", noNote.Fields.Keys);
        // Evidence of another township is not found in scope.
        var foreign = await EvidenceAsync(app, "community2", "530427101001");
        var notMine = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            T(sp).CloseAsync(first, new CloseTask { EvidenceId = foreign, Note = "已办结", Version = task.Version })));
        Assert.Contains("evidenceId", notMine.Fields.Keys);
        // The county supervises but does not close a township's tasks.
        var county = await app.AsAsync("county", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            T(sp).CloseAsync(first, new CloseTask { EvidenceId = evidence, Note = "已办结", Version = task.Version })));
        Assert.Equal(WorkflowErrors.Denied, county.Error);

        await app.AsAsync("township", sp => T(sp).CloseAsync(first, new CloseTask { EvidenceId = evidence, Note = "双方已签订调解协议，界桩已埋设", Version = task.Version }));
        var closed = await app.AsAsync("township", sp => T(sp).GetAsync(first));
        Assert.Equal((TaskStatus.Closed, today, "双方已签订调解协议，界桩已埋设", evidence, "整改完成照片", TaskTiming.ClosedOnTime),
            (closed.Task.Status, closed.Task.ClosedOn, closed.Task.CloseNote, closed.Task.CloseEvidenceId, closed.EvidenceTitle, closed.Task.Timing));
        var after = await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            T(sp).AddProgressAsync(first, new SaveProgress { Date = today, DepartmentId = d["公安派出所"], Text = "补充" })));
        Assert.Contains("已销号", after.Message);

        // The meeting's figure: one of two closed on time.
        var m = await app.AsAsync("township", sp => M(sp).GetAsync(meeting));
        Assert.Equal(new MeetingProgress(2, 1, 0, 1, 0), m.Progress);
        Assert.Equal("50%", m.Progress.OnTimeText);
        Assert.Equal("50%", Assert.Single((await app.AsAsync("township", sp => M(sp).ListAsync(new MeetingQuery()))).Items).Progress.OnTimeText);

        // Reopening needs a reason; the county may reopen what it finds not done.
        var noReason = await app.AsAsync("county", async sp => await Assert.ThrowsAsync<RuleViolation>(() => T(sp).ReopenAsync(first, " ", closed.Task.Version)));
        Assert.Equal(WorkflowErrors.Reason, noReason.Error);
        await app.AsAsync("county", sp => T(sp).ReopenAsync(first, "督查发现界桩未埋设", closed.Task.Version));
        var reopened = await app.AsAsync("township", sp => T(sp).GetAsync(first));
        Assert.Equal((TaskStatus.Open, (DateOnly?)null, 1), (reopened.Task.Status, reopened.Task.ClosedOn, reopened.Task.Reopened));
        Assert.Equal(["close", "reopen"], reopened.Steps.Select(s => s.Action));
        Assert.Equal("督查发现界桩未埋设", reopened.Steps[^1].Reason);

        // The task ledger: 序号、事项、牵头单位、配合单位、完成时限、进展、状态、销号日期.
        var (bytes, _) = await ExportAsync(app, sp => sp.GetRequiredService<MeetingExportService>().TasksAsync(meeting));
        var rows = Cells(bytes);
        Assert.Equal(["序号", "事项", "牵头单位", "配合单位", "完成时限", "进展", "状态", "销号日期"], rows[2]);
        Assert.Equal(["1", "查清两户宅基地界址，出具调查意见", "公安派出所", "民政办", today.AddDays(10).ToString("yyyy年M月d日"),
            $"{today:M月d日} 公安派出所：已实地测量，调取了1998年的宅基地批复", "进行中", ""], rows[3]);

        await using var summary = await app.AsAsync("township", sp => sp.GetRequiredService<MeetingSummaryService>().DocxAsync(meeting));
        using var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(summary.Content, false);
        var text = word.MainDocumentPart!.Document.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Contains(text, p => p.EndsWith("现将议定事项纪要如下："));
        Assert.Contains($"一、查清两户宅基地界址，出具调查意见由公安派出所牵头，民政办配合，于{today.AddDays(10):yyyy年M月d日}前办结。", text);
        Assert.Contains($"二、农贸市场划线设摊由城管中队牵头，于{today.AddDays(20):yyyy年M月d日}前办结。", text);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Overdue_and_due_soon_tasks_reach_the_conveners_todos_by_the_working_calendar_and_the_figure_counts_real_rows(DbProvider kind)
    {
        // 2026-09-30: three working days later is Saturday 10 October (国庆 1–7 October off, 10 October a make-up working day).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 30, 2, 0, 0, TimeSpan.Zero));
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var d = await DepartmentsAsync(app);
        var meeting = await app.AsAsync("township", sp => M(sp).SaveAsync(null, Meeting(d, new DateTime(2026, 9, 30, 9, 0, 0), "国庆节前矛盾纠纷联席会议")));
        Guid Add(string matter, int? days, DateOnly? date = null) => app.AsAsync("township", sp => T(sp).AddAsync(meeting, new SaveTask
            { Matter = matter, LeadDepartmentId = d["公安派出所"], DueWorkingDays = days, DueDate = date })).GetAwaiter().GetResult();
        var soon = Add("节日期间重点人员稳控", 3);
        var onTime = Add("排查出租屋", null, new DateOnly(2026, 10, 9));
        var late = Add("调处摊位纠纷", null, new DateOnly(2026, 10, 8));
        var later = Add("年底前完成矛盾纠纷台账整理", null, new DateOnly(2026, 12, 31));
        Assert.Equal(new DateOnly(2026, 10, 10), (await app.AsAsync("township", sp => T(sp).GetAsync(soon))).Task.DueDate);

        async Task<Dictionary<TodoKind, int>> Todos(string user) =>
            (await app.AsAsync(user, sp => sp.GetRequiredService<TodoService>().MineAsync())).Where(t => t.Module == "联席会议").ToDictionary(t => t.Kind, t => t.Count);

        // 8 October: 10 October is within three working days; 8 October is today, not yet late.
        clock.SetUtcNow(new DateTimeOffset(2026, 10, 8, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal(new Dictionary<TodoKind, int> { [TodoKind.DueSoon] = 3 }, await Todos("township"));
        var evidence = await EvidenceAsync(app);
        await app.AsAsync("township", async sp => await T(sp).CloseAsync(onTime, new CloseTask
            { EvidenceId = evidence, Note = "出租屋全部登记", Version = (await T(sp).GetAsync(onTime)).Task.Version }));

        // 12 October: the two still open are overdue; the one closed after its date counts as closed late.
        clock.SetUtcNow(new DateTimeOffset(2026, 10, 12, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal(new Dictionary<TodoKind, int> { [TodoKind.Overdue] = 2 }, await Todos("township"));
        Assert.Empty(await Todos("county"));    // the convener's to-do, not the level above's
        Assert.Empty(await Todos("community"));
        await app.AsAsync("township", async sp => await T(sp).CloseAsync(late, new CloseTask
            { EvidenceId = await EvidenceAsync(app), Note = "摊位重新分配", Version = (await T(sp).GetAsync(late)).Task.Version }));

        var m = await app.AsAsync("township", sp => M(sp).GetAsync(meeting));
        Assert.Equal(new MeetingProgress(4, 1, 1, 1, 1), m.Progress);
        Assert.Equal("25%", m.Progress.OnTimeText);
        Assert.Equal([TaskTiming.Overdue, TaskTiming.ClosedOnTime, TaskTiming.ClosedLate, TaskTiming.Open], m.Tasks.Select(t => t.Timing));
        var overview = Assert.Single(await app.AsAsync("county", sp => T(sp).OverviewAsync(2026)));
        Assert.Equal(("桂山街道", 1, m.Progress), (overview.UnitName, overview.Meetings, overview.Progress));
        Assert.Equal([soon], (await app.AsAsync("township", sp => T(sp).ListAsync(new TaskQuery { Timing = TaskTiming.Overdue }))).Items.Select(t => t.Id));
        Assert.Equal([later], (await app.AsAsync("county", sp => T(sp).ListAsync(new TaskQuery { Timing = TaskTiming.Open }))).Items.Where(t => t.Timing == TaskTiming.Open).Select(t => t.Id));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task The_next_meeting_opens_with_the_open_tasks_of_the_earlier_ones(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var d = await DepartmentsAsync(app);
        var now = ChinaTime.ToChina(DateTime.UtcNow);
        var today = DateOnly.FromDateTime(now);
        var first = await app.AsAsync("township", sp => M(sp).SaveAsync(null, Meeting(d, now.Date.AddDays(-30).AddHours(9), "第三季度联席会议")));
        var open = await app.AsAsync("township", sp => T(sp).AddAsync(first, new SaveTask { Matter = "化解界址纠纷", LeadDepartmentId = d["公安派出所"], DueDate = today.AddDays(5) }));
        var done = await app.AsAsync("township", sp => T(sp).AddAsync(first, new SaveTask { Matter = "清理占道摊位", LeadDepartmentId = d["城管中队"], DueDate = today.AddDays(5) }));
        var evidence = await EvidenceAsync(app);
        // Closed before the next meeting: off its list.
        await using (var db = await app.SystemDbAsync())
            await db.MeetingTasks.Where(t => t.Id == done).ExecuteUpdateAsync(x => x.SetProperty(t => t.Status, TaskStatus.Closed)
                .SetProperty(t => t.ClosedOn, today.AddDays(-20)).SetProperty(t => t.CloseEvidenceId, evidence).SetProperty(t => t.CloseNote, "已清理"));
        // Another township's open task never shows.
        await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("yangwu", "扬武镇民政办",
            await app.UnitAsync("530427101000"), Db.DemoPassword, Roles.TownshipOfficer, mustChange: false, demo: true));
        var dy = await DepartmentsAsync(app, "yangwu");
        var theirs = await app.AsAsync("yangwu", sp => M(sp).SaveAsync(null, Meeting(dy, now.Date.AddDays(-40).AddHours(9), "扬武镇联席会议")));
        await app.AsAsync("yangwu", sp => T(sp).AddAsync(theirs, new SaveTask { Matter = "扬武镇的事项", LeadDepartmentId = dy["公安派出所"], DueDate = today.AddDays(5) }));

        var second = await app.AsAsync("township", sp => M(sp).SaveAsync(null, Meeting(d, now.Date.AddDays(-1).AddHours(9), "第四季度联席会议")));
        var m = await app.AsAsync("township", sp => M(sp).GetAsync(second));
        var carried = Assert.Single(m.CarriedOver);
        Assert.Equal((open, "第三季度联席会议", "化解界址纠纷"), (carried.Id, carried.MeetingTitle, carried.Matter));
        Assert.Empty(m.Tasks);
        Assert.Empty((await app.AsAsync("township", sp => M(sp).GetAsync(first))).CarriedOver);

        var (bytes, _) = await ExportAsync(app, sp => sp.GetRequiredService<MeetingExportService>().RecordAsync(second));
        var leftover = Cells(bytes).Single(r => r.Length == 2 && r[0] == "遗留问题")[1];
        Assert.StartsWith("前次会议议定事项尚未销号：", leftover);
        Assert.Contains("《第三季度联席会议》第1项 化解界址纠纷（公安派出所牵头", leftover);
        Assert.DoesNotContain("清理占道摊位", leftover);
        Assert.DoesNotContain("扬武镇", leftover);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_township_sees_its_own_meetings_and_not_another_townships(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        await app.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("yangwu", "扬武镇民政办",
            await app.UnitAsync("530427101000"), Db.DemoPassword, Roles.TownshipOfficer, mustChange: false, demo: true));
        var d = await DepartmentsAsync(app);
        var mine = await app.AsAsync("township", sp => M(sp).SaveAsync(null, Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0))));
        var task = await app.AsAsync("township", sp => T(sp).AddAsync(mine, new SaveTask { Matter = "化解纠纷", LeadDepartmentId = d["公安派出所"], DueDate = new DateOnly(2026, 12, 31) }));
        var dy = await DepartmentsAsync(app, "yangwu");
        var theirs = await app.AsAsync("yangwu", sp => M(sp).SaveAsync(null, Meeting(dy, new DateTime(2026, 11, 21, 9, 0, 0), "扬武镇联席会议")));

        Assert.Equal([mine], (await app.AsAsync("township", sp => M(sp).ListAsync(new MeetingQuery()))).Items.Select(x => x.Id));
        Assert.Equal([theirs], (await app.AsAsync("yangwu", sp => M(sp).ListAsync(new MeetingQuery()))).Items.Select(x => x.Id));
        Assert.Equal(2, (await app.AsAsync("county", sp => M(sp).ListAsync(new MeetingQuery()))).Total);
        Assert.Equal(2, (await app.AsAsync("leader", sp => M(sp).ListAsync(new MeetingQuery()))).Total);
        await app.AsAsync("yangwu", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => M(sp).GetAsync(mine)));
        await app.AsAsync("yangwu", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => T(sp).GetAsync(task)));
        await app.AsAsync("yangwu", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => T(sp).AddAsync(mine, new SaveTask { Matter = "x", LeadDepartmentId = dy["公安派出所"], DueDate = new DateOnly(2026, 12, 31) })));
        await app.AsAsync("yangwu", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<MeetingExportService>().RecordAsync(mine)));
        await app.AsAsync("yangwu", async sp => await Assert.ThrowsAsync<NotFoundInScope>(async () => await M(sp).DepartmentsAsync((await app.UnitAsync("530427001000")).Id)));
        // Another convener's departments cannot be named as attendees or lead.
        var borrowed = Meeting(d, new DateTime(2026, 11, 22, 9, 0, 0));
        var refused = await app.AsAsync("yangwu", async sp => await Assert.ThrowsAsync<RuleViolation>(() => M(sp).SaveAsync(null, borrowed)));
        Assert.Contains("attendees[0].departmentId", refused.Fields.Keys);
        // Communities have no access; leaders read but do not write.
        Assert.Equal(JointMeetingErrors.Denied, (await app.AsAsync("community", async sp => await Assert.ThrowsAsync<RuleViolation>(() => M(sp).ListAsync(new MeetingQuery())))).Error);
        Assert.Equal(JointMeetingErrors.Denied, (await app.AsAsync("leader", async sp => await Assert.ThrowsAsync<RuleViolation>(() =>
            T(sp).AddProgressAsync(task, new SaveProgress { Date = new DateOnly(2026, 11, 20), DepartmentId = d["公安派出所"], Text = "x" })))).Error);
        // The overview: the county sees both conveners, a township only itself.
        Assert.Equal(new[] { "桂山街道", "扬武镇" }.Order(StringComparer.Ordinal), (await app.AsAsync("county", sp => T(sp).OverviewAsync(null))).Select(o => o.UnitName).Order(StringComparer.Ordinal));
        Assert.Equal(["桂山街道"], (await app.AsAsync("township", sp => T(sp).OverviewAsync(null))).Select(o => o.UnitName));
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Hostile_text_is_refused_naming_the_field_and_nothing_is_stored(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var d = await DepartmentsAsync(app);
        async Task<RuleViolation> Refused(Func<IServiceProvider, Task> act) => await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => act(sp)));

        var title = Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0));
        title.Title = "联席会议\u202E告公";
        Assert.Equal("会议名称含有不可见的控制字符，请删除后重新输入", Assert.Single((await Refused(sp => M(sp).SaveAsync(null, title))).Fields["title"]));
        var name = Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0));
        name.Attendees[1].Name = "王\u0000芳";
        Assert.Contains("attendees[1].name", (await Refused(sp => M(sp).SaveAsync(null, name))).Fields.Keys);
        var notes = Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0));
        notes.Agenda[1].Notes = new string('长', 2001);
        Assert.Equal("第2项议题的说明不能超过2000字", Assert.Single((await Refused(sp => M(sp).SaveAsync(null, notes))).Fields["agenda[1].notes"]));
        var minutes = Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0));
        minutes.Minutes = "正常\u0007响铃";
        Assert.Contains("minutes", (await Refused(sp => M(sp).SaveAsync(null, minutes))).Fields.Keys);
        Assert.Contains("workPhone", (await Refused(sp => M(sp).SaveDepartmentAsync(null, new SaveDepartment { Name = "卫生院", WorkPhone = "=HYPERLINK(\"x\")" }))).Fields.Keys);
        Assert.Contains("name", (await Refused(sp => M(sp).SaveDepartmentAsync(null, new SaveDepartment { Name = "公安派出所" }))).Fields.Keys);

        // Text that merely looks dangerous is stored as text and exported inert.
        var script = Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0));
        script.Agenda[0].Title = "<script>alert(1)</script>=cmd|' /C calc'!A0";
        var id = await app.AsAsync("township", sp => M(sp).SaveAsync(null, script));
        var (bytes, _) = await ExportAsync(app, sp => sp.GetRequiredService<MeetingExportService>().RecordAsync(id));
        Assert.Contains(Cells(bytes), r => r.Length == 2 && r[1].Contains("<script>alert(1)</script>=cmd"));
        await using var db = await app.SystemDbAsync();
        Assert.Equal(1, await db.JointMeetings.CountAsync());
        Assert.Equal(3, await db.MeetingDepartments.CountAsync());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_agenda_item_links_a_real_dispute_and_shows_its_current_title_or_that_the_reader_cannot_see_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        // Nothing registered yet: the picker has nothing to offer.
        Assert.Empty(await app.AsAsync("township", sp => M(sp).CasesAsync(null)));

        // A dispute with ethnic factors in 城中社区 (under the township) and one in a community of 扬武镇.
        var ours = await Disputes.DisputeTests.RegisterAsync(app, "community", Disputes.DisputeTests.Case(ethnic: true));
        var yangwu = await app.UnitAsync("530427101001");
        var other = Disputes.DisputeTests.Case();
        other.OrgUnitId = yangwu.Id;
        other.Title = "扬武镇的山林纠纷";
        var theirs = await app.AsAsync(null, sp => sp.GetRequiredService<Shiliu.Core.Disputes.DisputeService>().RegisterAsync(other));
        var offered = await app.AsAsync("township", sp => M(sp).CasesAsync("纠纷"));
        Assert.Equal([ours], offered.Where(c => c.Kind == "dispute").Select(c => c.Id));

        var d = await DepartmentsAsync(app);
        var req = Meeting(d, new DateTime(2026, 11, 20, 9, 0, 0));
        req.Agenda[0].CaseKind = "dispute";
        req.Agenda[0].CaseId = theirs;
        Assert.Contains("agenda[0].caseId", (await app.AsAsync("township", async sp => await Assert.ThrowsAsync<RuleViolation>(() => M(sp).SaveAsync(null, req)))).Fields.Keys);
        req.Agenda[0].CaseId = ours;
        var id = await app.AsAsync("township", sp => M(sp).SaveAsync(null, req));
        var number = offered.Single(c => c.Id == ours).Number;
        Assert.Equal($"矛盾纠纷 {number} 两户宅基地界址纠纷", (await app.AsAsync("township", sp => M(sp).GetAsync(id))).Agenda[0].CaseText);

        // Retitled in its own module: the meeting shows the current title.
        await using (var db = await app.SystemDbAsync())
        {
            var dispute = await db.Disputes.SingleAsync(x => x.Id == ours);
            dispute.Title = "两户宅基地界址纠纷（已调解）";
            await db.SaveChangesAsync();
        }
        Assert.Equal($"矛盾纠纷 {number} 两户宅基地界址纠纷（已调解）", (await app.AsAsync("township", sp => M(sp).GetAsync(id))).Agenda[0].CaseText);
        // The leader reads meetings but not cases with ethnic factors (need to know): the number as recorded, marked.
        Assert.Equal($"矛盾纠纷 {number}（无权查看或已删除）", (await app.AsAsync("leader", sp => M(sp).GetAsync(id))).Agenda[0].CaseText);
    }
}
