using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.E2E.Infrastructure;
using Shiliu.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shiliu.E2E;

/// <summary>
/// 少数民族信息档案 on a phone: a grid worker records a floating resident (the ID number's checksum and birth date are checked
/// on save), sees the record masked, unmasks it with a purpose (audited); another community cannot see it and, entering
/// the same person, is told only that the person is registered elsewhere; its township asks for the transfer by ID number.
/// </summary>
public sealed class ResidentJourneyTests(ITestOutputHelper output) : Journey(output, "residents")
{
    [Fact]
    public Task Grid_worker_records_a_floating_resident_on_a_phone_and_another_community_is_told_only_registered_elsewhere() => RunAsync(390, 844, async (page, browser, circuit, live) =>
    {
        var id = Shiliu.Tests.Residents.Ids.Next(new DateOnly(1992, 8, 15), male: false);
        await page.GotoAsync("/residents");
        await SignInAsync(page, "grid", Db.DemoPassword);
        await circuit.WaitAsync();
        var form = page.Locator(".resident-form");
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "登记居民" }), form);
        await form.GetByLabel("姓名", new() { Exact = true }).FillAsync("刀玉香");
        await form.GetByLabel("身份证号").FillAsync(id[..17] + (id[17] == '0' ? "1" : "0"));
        await form.GetByLabel("民族", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "傣族" });
        await form.GetByLabel("电话").FillAsync("13912345678");
        await form.GetByLabel("人员类型").SelectOptionAsync(new SelectOptionValue { Label = "流动" });
        await form.GetByLabel("户籍地").FillAsync("云南省西双版纳州勐腊县");
        await form.GetByLabel("流入时间").FillAsync("2024-03-01");
        await form.GetByLabel("流入原因").FillAsync("务工");
        await form.GetByLabel("需求就业").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.Locator(".ant-alert-error")).ToContainTextAsync("校验码错误");
        await ShotAsync(page, browser, "grid-wrong-checksum");
        await form.GetByLabel("身份证号").FillAsync(id);
        await form.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        var detail = page.Locator(".resident-detail");
        await Expect(detail.GetByTestId("id-number")).ToHaveTextAsync(id[..6] + "********" + id[^4..]);
        await Expect(detail.GetByTestId("phone")).ToHaveTextAsync("139****5678");
        await ShotAsync(page, browser, "grid-saved-masked");
        await detail.GetByLabel("查看用途").FillAsync("走访核对");
        await detail.GetByRole(AriaRole.Button, new() { Name = "查看完整身份证号和电话" }).ClickAsync();
        await Expect(detail.GetByTestId("id-number")).ToHaveTextAsync(id);
        await Expect(detail.GetByTestId("history")).ToContainTextAsync("用途：走访核对");
        await ShotAsync(page, browser, "grid-revealed");
        await detail.GetByLabel("走访人").FillAsync("李网格");
        await detail.GetByLabel("走访情况").FillAsync("家中3口人，丈夫在建筑工地务工；孩子明年上小学，需办理入学。");
        await detail.GetByLabel("发现需求入学").CheckAsync();
        await detail.GetByLabel("后续工作").FillAsync("联系城中小学");
        await detail.GetByLabel("后续工作").PressAsync("Tab");
        await detail.GetByRole(AriaRole.Button, new() { Name = "登记走访" }).ClickAsync();
        await Expect(detail.GetByTestId("visits")).ToContainTextAsync("孩子明年上小学");
        await Expect(detail.GetByTestId("history")).ToContainTextAsync("新增需求：入学");
        await ShotAsync(page, browser, "grid-visit-recorded");
        await SignOutAsync(page);

        await page.SetViewportSizeAsync(1366, 768);
        await SignInAsync(page, "community2", Db.DemoPassword);
        await page.GotoAsync("/residents");
        await circuit.WaitAsync();
        await Expect(page.GetByTestId("resident-list")).ToContainTextAsync("没有符合条件的居民");
        var other = page.Locator(".resident-form");
        await CircuitWatch.ClickUntilVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "登记居民" }), other);
        await other.GetByLabel("姓名", new() { Exact = true }).FillAsync("刀玉香");
        await other.GetByLabel("身份证号").FillAsync(id);
        await other.GetByLabel("民族", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "傣族" });
        await other.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.Locator(".ant-alert-error")).ToContainTextAsync("已在其他单位登记，请联系乡镇（街道）办理转入");
        await Expect(page.Locator(".ant-alert-error")).Not.ToContainTextAsync("城中社区");
        await ShotAsync(page, browser, "other-community-told-registered-elsewhere");
        await SignOutAsync(page);

        // 中心村's township (扬武镇; the demo has no account for it) asks for the person by ID number.
        await live.App.AsAsync(null, async sp => await sp.GetRequiredService<UserService>().CreateAsOperatorAsync("yangwu", "扬武镇民政办",
            await live.App.UnitAsync("530427101000"), Db.DemoPassword, Roles.TownshipOfficer, mustChange: false, demo: true));
        await SignInAsync(page, "yangwu", Db.DemoPassword);
        // As first sent, before the page is live, its controls are disabled: nothing typed on a slow PC is lost.
        var prerendered = await (await page.APIRequest.GetAsync("/residents")).TextAsync();
        Assert.Contains("<fieldset class=\"page-body\" disabled", prerendered);
        await page.GotoAsync("/residents");
        await circuit.WaitAsync();
        await Expect(page.Locator("fieldset.page-body")).ToBeEnabledAsync();
        var byId = page.GetByTestId("transfer-by-id");
        await byId.GetByLabel("转入居民身份证号").FillAsync(id);
        await byId.GetByLabel("转入单位").SelectOptionAsync(new SelectOptionValue { Label = "中心村（本级）" });
        await byId.GetByLabel("转入原因").FillAsync("已搬到中心村居住");
        await byId.GetByLabel("转入原因").PressAsync("Tab");
        await byId.GetByRole(AriaRole.Button, new() { Name = "申请转入" }).ClickAsync();
        await Expect(page.GetByTestId("transfers")).ToContainTextAsync("待处理");
        await ShotAsync(page, browser, "township-transfer-requested");
        await SignOutAsync(page);

        // The keeping community accepts: the record (with its history) moves to 中心村.
        await SignInAsync(page, "community", Db.DemoPassword);
        await page.GotoAsync("/residents");
        await circuit.WaitAsync();
        var transfers = page.GetByTestId("transfers");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "登记居民" })).ToBeEnabledAsync();
        await transfers.GetByText("同意转出").ClickAsync();
        await Expect(transfers).ToContainTextAsync("已接收");
        await Expect(page.GetByTestId("resident-list")).ToContainTextAsync("没有符合条件的居民");
        await ShotAsync(page, browser, "keeper-accepted");
    });
}
