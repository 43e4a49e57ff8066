using Shiliu.Core.Platform.Exports;

namespace Shiliu.Web.Hosting;

/// <summary>Sends a finished export (already audited); the temporary file is deleted once it has gone out.</summary>
public static class Exported
{
    public const string Xlsx = ExportFile.XlsxType;
    public const string Docx = ExportFile.DocxType;

    public static IResult File(ExportFile file) => TypedResults.File(file.Content, file.ContentType, file.FileName);
}
