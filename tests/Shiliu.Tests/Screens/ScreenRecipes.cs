using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Screens;
using Shiliu.Tests.Authorization;

namespace Shiliu.Tests.Screens;

/// <summary>The access matrix's 大屏 rows: a live key for the open link; figures of a unit inside or outside the caller's scope.</summary>
static class ScreenRecipes
{
    public static readonly Dictionary<string, AuthorizationMatrixTests.Recipe> All = new()
    {
        ["PAGE /screens"] = (c, _) => c.Page("/screens"),
        ["GET /screen"] = (c, _) => c.Page("/screen"),
        // A live key opens the screen for anyone holding it (signed in or not): the key is the credential. The redirect is
        // followed, in a browser of its own, to the display the key's cookie now opens.
        ["GET /screen/open"] = async (c, _) =>
        {
            var (_, key) = await c.App.AsAsync("county", sp => sp.GetRequiredService<ScreenService>().IssueAsync(new IssueScreen { Name = $"矩阵大屏{Guid.NewGuid():N}"[..20] }));
            var wall = c.App.BrowserClient();
            var open = await wall.GetAsync($"/screen/open?key={Uri.EscapeDataString(key)}");
            return open.Headers.Location?.OriginalString == "/screen/display" ? await wall.GetAsync("/screen/display") : open;
        },
        // Without a screen's cookie there is nothing to display, whoever is signed in.
        ["GET /screen/display"] = (c, _) => c.App.BrowserClient().GetAsync("/screen/display"),
        ["GET /screen/figures"] = async (c, o) => await c.Browser.GetAsync($"/screen/figures?unit={(await c.Unit(o)).Id}"),
    };
}
