using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.ServiceCases;
using Shiliu.Tests.Authorization;
using Shiliu.Tests.Infrastructure;
using Context = Shiliu.Tests.Authorization.AuthorizationMatrixTests.Context;

namespace Shiliu.Tests.ServiceCases;

/// <summary>The access matrix's requests for the 服务群众 routes: a case, a type, a guide entry inside or outside the caller's scope.</summary>
static class ServiceCaseRecipes
{
    /// <summary>A case held by the caller's unit (its grid for a grid worker) or by 扬武镇's 中心村, opened by the operator.</summary>
    static async Task<ServiceCaseDetail> CaseAsync(Context c, bool outside, string type = "就业指导")
    {
        var unit = await c.Unit(outside);
        var typeId = await ServiceCaseTests.TypeAsync(c.App, type);
        var id = await c.App.AsAsync(null, sp => sp.GetRequiredService<ServiceCaseService>().CreateAsync(new CreateServiceCase
            { TypeId = typeId, OrgUnitId = unit.Id, PersonName = "者玉兰", Phone = "13987654321", Title = "矩阵服务事项", Request = "希望帮助联系务工岗位" }));
        return await c.App.AsAsync(null, sp => sp.GetRequiredService<ServiceCaseService>().GetAsync(id));
    }

    static async Task<(Guid Id, int Version)> EntryAsync(Context c, bool outside, bool window)
    {
        var unit = await c.Community(outside);
        var s = (IServiceProvider sp) => sp.GetRequiredService<ServiceGuideService>();
        var id = window
            ? await c.App.AsAsync(null, sp => s(sp).SaveWindowAsync(null, new SaveServiceWindow { OrgUnitId = unit.Id, Kind = WindowKind.Hotline, Name = "矩阵热线", Phone = "0877-7000000" }))
            : await c.App.AsAsync(null, sp => s(sp).SaveEntryAsync(null, Entry(unit.Id)));
        return (id, 0);
    }

    static SaveGuideEntry Entry(Guid unit) => new()
        { OrgUnitId = unit, Name = "矩阵办事指南", Materials = "身份证", Place = "便民服务站", Hours = "工作日", Phone = "0877-7000000", Steps = "提交材料，当场办理" };

    public static async Task<HttpResponseMessage> Get(Context c, bool o) => await c.Api.GetAsync($"/api/v1/service-cases/{(await CaseAsync(c, o)).Id}");

    public static Task<HttpResponseMessage> Create(Context c, bool o) => CreateAsync(c, o);

    static async Task<HttpResponseMessage> CreateAsync(Context c, bool o) => await c.Api.PostAsJsonAsync("/api/v1/service-cases", new
    {
        typeId = await ServiceCaseTests.TypeAsync(c.App, "就业指导"), source = "Hotline", orgUnitId = (await c.Unit(o)).Id, personName = "者玉兰", phone = "13987654321",
        title = "矩阵受理", request = "希望帮助联系务工岗位",
    });

    public static async Task<HttpResponseMessage> Step(Context c, bool o)
    {
        var d = await CaseAsync(c, o);
        return await c.Api.PostAsJsonAsync($"/api/v1/service-cases/{d.Id}/steps/suspend", new { reason = "等待群众补充材料", version = d.Version });
    }

    public static async Task<HttpResponseMessage> Activities(Context c, bool o)
    {
        var d = await CaseAsync(c, o, "法律援助");
        return await c.Api.PutAsJsonAsync($"/api/v1/service-cases/{d.Id}/activities", new { activityIds = Array.Empty<Guid>(), version = d.Version });
    }

    public static async Task<HttpResponseMessage> Reveal(Context c, bool o) =>
        await c.Api.PostAsJsonAsync($"/api/v1/service-cases/{(await CaseAsync(c, o)).Id}/reveal", new { purpose = "电话回访群众" });

    public static async Task<HttpResponseMessage> Ledger(Context c, bool o) =>
        await c.Api.PostAsJsonAsync("/api/v1/service-cases/ledger", new { orgUnitId = (await c.Unit(o)).Id, purpose = "年度服务台账归档" });

    public static async Task<HttpResponseMessage> Figures(Context c, bool o) => await c.Api.GetAsync($"/api/v1/service-cases/figures?orgUnitId={(await c.Unit(o)).Id}");

    public static Task<HttpResponseMessage> CreateType(Context c, bool _) =>
        c.Api.PostAsJsonAsync("/api/v1/service-types", new { name = $"矩阵类型{Guid.NewGuid():N}"[..12], timeLimitDays = 5, needsRevisit = true, isActive = true, sortOrder = 500 });

    public static async Task<HttpResponseMessage> UpdateType(Context c, bool _)
    {
        // A type of its own each time: a replay that renames it leaves the seeded types the other recipes use alone.
        var id = await c.App.AsAsync(null, sp => sp.GetRequiredService<ServiceTypeService>()
            .SaveAsync(null, new SaveServiceType { Name = $"矩阵修改{Guid.NewGuid():N}"[..12], TimeLimitDays = 3, SortOrder = 900 }));
        return await c.Api.PutAsJsonAsync($"/api/v1/service-types/{id}",
            new { name = $"矩阵改名{Guid.NewGuid():N}"[..12], timeLimitDays = 4, needsRevisit = false, legalAid = false, isActive = true, sortOrder = 901, version = 0 });
    }

    public static async Task<HttpResponseMessage> CreateEntry(Context c, bool o) =>
        await c.Api.PostAsJsonAsync("/api/v1/service-guide/entries", Entry((await c.Community(o)).Id));

    public static async Task<HttpResponseMessage> UpdateEntry(Context c, bool o)
    {
        var (id, version) = await EntryAsync(c, o, false);
        var body = Entry((await c.Community(o)).Id);
        body.Version = version;
        return await c.Api.PutAsJsonAsync($"/api/v1/service-guide/entries/{id}", body);
    }

    public static async Task<HttpResponseMessage> DeleteEntry(Context c, bool o) => await c.Api.DeleteAsync($"/api/v1/service-guide/entries/{(await EntryAsync(c, o, false)).Id}");

    public static async Task<HttpResponseMessage> CreateWindow(Context c, bool o) =>
        await c.Api.PostAsJsonAsync("/api/v1/service-guide/windows", new { orgUnitId = (await c.Community(o)).Id, kind = "Window", name = "矩阵窗口", place = "便民服务站", hours = "工作日" });

    public static async Task<HttpResponseMessage> UpdateWindow(Context c, bool o)
    {
        var (id, version) = await EntryAsync(c, o, true);
        return await c.Api.PutAsJsonAsync($"/api/v1/service-guide/windows/{id}",
            new { orgUnitId = (await c.Community(o)).Id, kind = "Hotline", name = "矩阵热线", phone = "0877-7000001", version });
    }

    public static async Task<HttpResponseMessage> DeleteWindow(Context c, bool o) => await c.Api.DeleteAsync($"/api/v1/service-guide/windows/{(await EntryAsync(c, o, true)).Id}");

    public static async Task<HttpResponseMessage> CasePage(Context c, bool o) => await c.Page($"/service-cases/{(await CaseAsync(c, o)).Id}");
}
