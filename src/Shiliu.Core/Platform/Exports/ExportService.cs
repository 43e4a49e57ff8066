using System.Security.Cryptography;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Documents;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Platform.Exports;

/// <summary>What is exported, for whom to read and for the audit log.</summary>
public sealed record ExportSpec(string FileName, string What, string EntityType, string? EntityId, string? OrgPath)
{
    /// <summary>Rows about people (even masked): needs a stated purpose, audited as an export of personal data.</summary>
    public bool PersonalData { get; init; }
    public string? Purpose { get; init; }
}

/// <summary>A finished export: the file to send (deleted when closed), its row count and SHA-256 as audited.</summary>
public sealed class ExportFile(Stream content, string fileName, int rows, string sha256, string contentType = ExportFile.XlsxType) : IAsyncDisposable
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public Stream Content { get; } = content;
    public string FileName { get; } = fileName;
    public string ContentType { get; } = contentType;
    public int Rows { get; } = rows;
    public string Sha256 { get; } = sha256;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>The county's rules for exports of personal data (configuration section "Exports").</summary>
public sealed class ExportOptions
{
    /// <summary>An export of more people's personal data than this needs a second person's approval (四眼原则).</summary>
    public int ApprovalAbove { get; set; } = 500;

    /// <summary>Days an approval stays good for downloading.</summary>
    public int ApprovalValidDays { get; set; } = 7;
}

public static class ExportErrors
{
    public static readonly ErrorCode Purpose = ErrorCode.Invalid("export.purpose");
    public static readonly ErrorCode Unmasked = ErrorCode.Invalid("export.unmasked");
}

/// <summary>
/// The one export path for ledgers and documents: a streamed .xlsx whose every sheet carries a title, who exported it, when and why,
/// the same on the printed page header and in a watermark behind the cells; text that a spreadsheet would run as a
/// formula is neutralised; a whole ID number in any cell refuses the export (masking is not optional); and the export
/// is audited with its row count and SHA-256 before the first byte is sent (no audit, no file).
/// </summary>
public sealed class ExportService(Evidence.IFileStore files)
{
    public Task<ExportFile> XlsxAsync(ShiliuDb db, ExportSpec spec, Func<ExportBook, Task> write, CancellationToken ct = default) =>
        StagedAsync(db, spec, "xlsx", ExportFile.XlsxType, "行", async (file, purpose) =>
        {
            using var book = new ExportBook(file, db.Caller.UserName, ChinaTime.Format(db.UtcNow), purpose, spec.PersonalData);
            await write(book);
            return book.Rows;
        }, ct);

    /// <summary>
    /// A Word document in the 公文 layout (<see cref="OfficialDocument"/>): a draft the unit edits and files, so it carries
    /// who made it and when in its properties rather than a watermark; a whole ID number (or, for personal data, a whole
    /// mobile number) in any text stops it; audited with its count of text pieces and SHA-256 before it is handed out.
    /// </summary>
    public Task<ExportFile> DocxAsync(ShiliuDb db, ExportSpec spec, string title, Func<OfficialDocument, Task> write, CancellationToken ct = default) =>
        StagedAsync(db, spec, "docx", ExportFile.DocxType, "段文字", async (file, _) =>
        {
            var pieces = 0;
            using var doc = new OfficialDocument(file, title, $"{db.Caller.UserName}（石榴平台生成，{ChinaTime.Format(db.UtcNow)}）", text =>
            {
                ExportSheet.CheckUnmaskedInText(text, spec.PersonalData);
                pieces++;
            });
            await write(doc);
            doc.Finish();
            return pieces;
        }, ct);

    /// <summary>
    /// Writes the file to the staging folder, hashes it and audits the export (with its count and SHA-256) before it is
    /// opened for sending; a failure anywhere leaves neither a file nor an audit row.
    /// </summary>
    async Task<ExportFile> StagedAsync(ShiliuDb db, ExportSpec spec, string extension, string contentType, string unit,
        Func<Stream, string?, Task<int>> write, CancellationToken ct)
    {
        var purpose = spec.PersonalData ? CheckPurpose(spec.Purpose) : string.IsNullOrWhiteSpace(spec.Purpose) ? null : CheckPurpose(spec.Purpose);
        var path = Path.Combine(files.StagingDirectory, $"export-{Guid.NewGuid():N}.{extension}");
        try
        {
            int count;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
                count = await write(file, purpose);
            string sha;
            await using (var read = File.OpenRead(path)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
            db.Audit(spec.PersonalData ? AuditEvents.PersonalDataExport : AuditEvents.Export,
                $"导出{spec.What}{(extension == "docx" ? "（Word）" : "")}：{count:N0} {unit}{(purpose is null ? "" : $"，用途：{purpose}")}，SHA-256 {sha}",
                spec.EntityType, spec.EntityId, spec.OrgPath);
            // Fail closed: without the audit row the file is not handed out.
            await db.SaveChangesAsync(ct);
            var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            return new ExportFile(content, spec.FileName, count, sha, contentType);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>The stated purpose of an export of personal data, checked as the workbook will carry it.</summary>
    public static string CheckPurpose(string? purpose)
    {
        var why = (purpose ?? "").Trim();
        if (why.Length < 4)
            throw RuleViolation.ForField(ExportErrors.Purpose, "purpose", "导出个人信息须说明用途（不少于4个字），用途会写入表格、水印和审计日志");
        if (why.Length > 100 || why.Any(char.IsControl))
            throw RuleViolation.ForField(ExportErrors.Purpose, "purpose", "用途不能超过100字，且不能含控制字符");
        return why;
    }
}

/// <summary>The workbook an export writes: sheets that come with their title, provenance and watermark.</summary>
public sealed class ExportBook : IDisposable
{
    readonly XlsxWriter _book;
    readonly string _who, _when;
    readonly string? _purpose;
    readonly bool _personal;
    byte[]? _watermark;

    internal ExportBook(Stream output, string who, string when, string? purpose, bool personal)
    {
        _book = new XlsxWriter(output);
        (_who, _when, _purpose, _personal) = (who, when, purpose, personal);
    }

    /// <summary>Data rows written so far, in every sheet (titles, headers and totals not counted).</summary>
    public int Rows { get; internal set; }

    /// <summary>
    /// A sheet with its title row, a provenance row (<paramref name="note"/>, then who, when and why) and the column headers;
    /// printed with the same on every page and the watermark behind it.
    /// </summary>
    public ExportSheet Sheet(string name, string title, IReadOnlyList<string> headers, double[] widths, string? note = null)
    {
        var sheet = _book.AddSheet(name, widths, frozenRows: 3);
        var last = XlsxReader.ColumnName(headers.Count - 1);
        sheet.Row([title], XlsxStyle.Title, height: 30);
        sheet.Merge($"A1:{last}1");
        var provenance = $"导出人：{_who}　导出时间：{_when}{(_purpose is null ? "" : $"　用途：{_purpose}")}";
        sheet.Row([(note is null ? "" : note + "　") + provenance + (_personal ? "　个人信息已脱敏，仅限上述用途使用，不得外传" : "")], XlsxStyle.Note, height: 22);
        sheet.Merge($"A2:{last}2");
        sheet.Row(headers, XlsxStyle.Header, height: 24);
        sheet.HeaderFooter($"&L&8{title}&R&8导出人 {_who} {_when}", $"&L&8{(_purpose is null ? "石榴 · 仅限工作使用" : $"用途：{_purpose}")}&R&8第 &P 页 / 共 &N 页");
        sheet.Background(_watermark ??= Watermark.Png([$"{_who}  {_when}", _purpose is null ? "仅限工作使用" : $"用途：{_purpose}", "石榴 · 民族团结进步创建管理平台"]));
        return new ExportSheet(this, sheet, _personal);
    }

    public void Dispose() => _book.Dispose();
}

/// <summary>One sheet of an export: data rows (counted and checked), total rows, merges.</summary>
public sealed class ExportSheet : IDisposable
{
    readonly ExportBook _book;
    readonly SheetWriter _sheet;
    readonly bool _personal;

    internal ExportSheet(ExportBook book, SheetWriter sheet, bool personal) => (_book, _sheet, _personal) = (book, sheet, personal);

    /// <summary>A data row of text cells.</summary>
    public void Row(IReadOnlyList<string?> values)
    {
        foreach (var v in values) Check(v);
        _sheet.Row(values);
        _book.Rows++;
    }

    /// <summary>A data row where numbers stay numbers.</summary>
    public void Mixed(IReadOnlyList<object?> values)
    {
        foreach (var v in values) Check(v as string);
        _sheet.Mixed(values);
        _book.Rows++;
    }

    /// <summary>A total or subtotal row (bold, not counted as data).</summary>
    public void Total(IReadOnlyList<object?> values) => _sheet.Mixed(values, XlsxStyle.Header);

    public void Merge(string range) => _sheet.Merge(range);

    void Check(string? v) => CheckUnmasked(v, _personal);

    /// <summary>Masking is not left to each module: a whole ID number anywhere (or, in personal data, a whole mobile number) stops the export.</summary>
    internal static void CheckUnmasked(string? v, bool personal)
    {
        if (v is null) return;
        if (v.Length == 18 && IdNumber.TryParse(v, out _, out _))
            throw new RuleViolation(ExportErrors.Unmasked, "导出内容含完整的身份证号，已停止导出；个人信息导出须脱敏");
        if (personal && v.Length == 11 && v[0] == '1' && v.All(char.IsAsciiDigit))
            throw new RuleViolation(ExportErrors.Unmasked, "导出内容含完整的手机号码，已停止导出；个人信息导出须脱敏");
    }

    /// <summary>The same rule inside running text: every run of digits (an ID number may end in X) is checked on its own.</summary>
    internal static void CheckUnmaskedInText(string text, bool personal)
    {
        for (var i = 0; i < text.Length;)
        {
            if (!char.IsAsciiDigit(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] is 'X' or 'x' && i - start == 17))) i++;
            CheckUnmasked(text[start..i], personal);
        }
    }

    public void Dispose() => _sheet.Dispose();
}
