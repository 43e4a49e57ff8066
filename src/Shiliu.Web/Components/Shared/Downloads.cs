using Microsoft.JSInterop;
using Shiliu.Core.Platform.Exports;

namespace Shiliu.Web.Components.Shared;

/// <summary>Hands an export the service made (and audited) to the browser over the circuit, as a file download.</summary>
public static class Downloads
{
    public static async Task SaveAsync(IJSRuntime js, ExportFile file)
    {
        await using (file)
        {
            using var stream = new DotNetStreamReference(file.Content, leaveOpen: true);
            await js.InvokeVoidAsync("shiliu.saveFile", file.FileName, stream);
        }
    }
}
