using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Shiliu.Core.Common;

/// <summary>Cell styles of <see cref="XlsxWriter"/>.</summary>
public enum XlsxStyle : uint
{
    Plain = 0,
    /// <summary>Bold 16, centred: a sheet's title row.</summary>
    Title = 1,
    /// <summary>Bold, grey, bordered: header and total rows.</summary>
    Header = 2,
    /// <summary>Bordered body cell, kept as text (so ID numbers stay text when a clerk edits the sheet).</summary>
    Body = 3,
    /// <summary>A body cell with an error: light red.</summary>
    Error = 4,
    /// <summary>Wrapped note text.</summary>
    Note = 5,
    /// <summary>A required column's header: bold, dark red.</summary>
    RequiredHeader = 6,
    /// <summary>A bordered number.</summary>
    Number = 7,
}

/// <summary>
/// Writes .xlsx workbooks sheet by sheet with the SAX writer, so a ledger of a million rows streams through without being
/// built in memory. Every text cell passes <see cref="Excel.Safe"/> (no formula can be smuggled into an export).
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    readonly SpreadsheetDocument _doc;
    readonly WorkbookPart _wb;
    readonly List<(string Name, string RelId, bool Hidden)> _sheets = [];
    readonly Dictionary<string, int>? _shared;
    readonly List<string>? _sharedList;
    readonly List<string> _definedNames = [];

    public XlsxWriter(Stream output, bool sharedStrings = false)
    {
        _doc = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        _wb = _doc.AddWorkbookPart();
        _wb.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
        if (sharedStrings) (_shared, _sharedList) = (new Dictionary<string, int>(StringComparer.Ordinal), []);
    }

    public SheetWriter AddSheet(string name, double[] widths, int frozenRows = 0, bool hidden = false)
    {
        var part = _wb.AddNewPart<WorksheetPart>();
        _sheets.Add((name, _wb.GetIdOfPart(part), hidden));
        return new SheetWriter(this, part, widths, frozenRows);
    }

    /// <summary>A workbook-level name, e.g. a dictionary range the validations refer to.</summary>
    public void DefineName(string name, string reference) => _definedNames.Add($"{name}\u0001{reference}");

    internal int Shared(string text)
    {
        if (_shared!.TryGetValue(text, out var i)) return i;
        _shared[text] = i = _sharedList!.Count;
        _sharedList.Add(text);
        return i;
    }

    internal bool UsesSharedStrings => _shared is not null;

    public void Dispose()
    {
        var sheets = new Sheets();
        uint id = 1;
        foreach (var (name, rel, hidden) in _sheets)
            sheets.Append(new Sheet { Name = name, SheetId = id++, Id = rel, State = hidden ? SheetStateValues.Hidden : null });
        var workbook = new Workbook(sheets);
        if (_definedNames.Count > 0)
            workbook.Append(new DefinedNames(_definedNames.Select(d => d.Split('\u0001')).Select(p => new DefinedName(p[1]) { Name = p[0] })));
        _wb.Workbook = workbook;
        if (_sharedList is { Count: > 0 })
        {
            var sst = _wb.AddNewPart<SharedStringTablePart>();
            using var w = OpenXmlWriter.Create(sst);
            w.WriteStartElement(new SharedStringTable(), [new OpenXmlAttribute("count", "", _sharedList.Count.ToString(CultureInfo.InvariantCulture)),
                new OpenXmlAttribute("uniqueCount", "", _sharedList.Count.ToString(CultureInfo.InvariantCulture))]);
            foreach (var s in _sharedList) w.WriteElement(new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve }));
            w.WriteEndElement();
        }
        _doc.Dispose();
    }

    static Stylesheet Styles()
    {
        static Border Thin() => new(new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        return new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 49, FormatCode = "@" }) { Count = 1 },
            new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
                new Font(new Bold(), new FontSize { Val = 16 }, new FontName { Val = "宋体" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
                new Font(new Bold(), new Color { Rgb = "FFC00000" }, new FontSize { Val = 11 }, new FontName { Val = "宋体" })),
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFEFEFEF" }) { PatternType = PatternValues.Solid }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFFFD7D7" }) { PatternType = PatternValues.Solid })),
            new Borders(new Border(), Thin()),
            new CellFormats(
                new CellFormat(),
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center }) { FontId = 1, ApplyFont = true, ApplyAlignment = true },
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
                    { FontId = 2, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat { BorderId = 1, NumberFormatId = 49, ApplyBorder = true, ApplyNumberFormat = true },
                new CellFormat { BorderId = 1, FillId = 3, NumberFormatId = 49, ApplyBorder = true, ApplyFill = true, ApplyNumberFormat = true },
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true },
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
                    { FontId = 3, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat { BorderId = 1, ApplyBorder = true }));
    }
}

/// <summary>One worksheet being streamed: rows in order, then the sheet's trailing parts on dispose.</summary>
public sealed class SheetWriter : IDisposable
{
    readonly XlsxWriter _book;
    readonly WorksheetPart _part;
    readonly OpenXmlWriter _w;
    readonly List<string> _merges = [];
    readonly List<DataValidation> _validations = [];
    uint _row;
    string? _header;
    string? _footer;
    string? _pictureRel;
    bool _ended;

    internal SheetWriter(XlsxWriter book, WorksheetPart part, double[] widths, int frozenRows)
    {
        (_book, _part) = (book, part);
        _w = OpenXmlWriter.Create(part);
        _w.WriteStartElement(new Worksheet());
        if (frozenRows > 0)
        {
            _w.WriteStartElement(new SheetViews());
            _w.WriteElement(new SheetView(new Pane
            {
                VerticalSplit = frozenRows, TopLeftCell = $"A{frozenRows + 1}", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            }) { WorkbookViewId = 0 });
            _w.WriteEndElement();
        }
        if (widths.Length > 0)
            _w.WriteElement(new Columns(widths.Select((w, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = w, CustomWidth = true })));
        _w.WriteStartElement(new SheetData());
    }

    /// <summary>The number the next row will get (1-based).</summary>
    public uint NextRow => _row + 1;

    /// <summary>Writes a row of text cells (null = empty), all in one style unless a per-cell style is given.</summary>
    public void Row(IReadOnlyList<string?> values, XlsxStyle style = XlsxStyle.Body, IReadOnlyList<XlsxStyle>? styles = null, double? height = null)
    {
        _row++;
        var attrs = new List<OpenXmlAttribute> { new("r", "", _row.ToString(CultureInfo.InvariantCulture)) };
        if (height is { } h)
        {
            attrs.Add(new("ht", "", h.ToString(CultureInfo.InvariantCulture)));
            attrs.Add(new("customHeight", "", "1"));
        }
        _w.WriteStartElement(new Row(), attrs);
        for (var i = 0; i < values.Count; i++)
        {
            var s = (uint)(styles is not null && i < styles.Count ? styles[i] : style);
            var v = values[i];
            var reference = XlsxReader.ColumnName(i) + _row.ToString(CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(v))
            {
                if (s != 0) _w.WriteElement(new Cell { CellReference = reference, StyleIndex = s });
                continue;
            }
            var text = Excel.Safe(v);
            if (_book.UsesSharedStrings)
                _w.WriteElement(new Cell(new CellValue(_book.Shared(text))) { CellReference = reference, StyleIndex = s, DataType = CellValues.SharedString });
            else
                _w.WriteElement(new Cell(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }))
                    { CellReference = reference, StyleIndex = s, DataType = CellValues.InlineString });
        }
        _w.WriteEndElement();
    }

    /// <summary>A row with numbers where the value is an int (totals, statistics).</summary>
    public void Mixed(IReadOnlyList<object?> values, XlsxStyle style = XlsxStyle.Body)
    {
        _row++;
        _w.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", _row.ToString(CultureInfo.InvariantCulture))]);
        for (var i = 0; i < values.Count; i++)
        {
            var reference = XlsxReader.ColumnName(i) + _row.ToString(CultureInfo.InvariantCulture);
            switch (values[i])
            {
                case null:
                    _w.WriteElement(new Cell { CellReference = reference, StyleIndex = (uint)style });
                    break;
                case int or long or double or decimal:
                    _w.WriteElement(new Cell(new CellValue(Convert.ToString(values[i], CultureInfo.InvariantCulture)!))
                        { CellReference = reference, StyleIndex = (uint)(style == XlsxStyle.Body ? XlsxStyle.Number : style), DataType = CellValues.Number });
                    break;
                default:
                    _w.WriteElement(new Cell(new InlineString(new Text(Excel.Safe(values[i]!.ToString())) { Space = SpaceProcessingModeValues.Preserve }))
                        { CellReference = reference, StyleIndex = (uint)style, DataType = CellValues.InlineString });
                    break;
            }
        }
        _w.WriteEndElement();
    }

    public void Merge(string range) => _merges.Add(range);

    /// <summary>A drop-down list on a column range; <paramref name="strict"/> false lets other values through with a hint.</summary>
    public void ListValidation(string range, string formula, string prompt, bool strict = true) => _validations.Add(new DataValidation
    {
        Type = DataValidationValues.List, AllowBlank = true, ShowDropDown = false, ShowInputMessage = true, ShowErrorMessage = strict,
        ErrorStyle = strict ? DataValidationErrorStyleValues.Stop : DataValidationErrorStyleValues.Information,
        PromptTitle = "填写说明", Prompt = prompt.Length > 250 ? prompt[..250] : prompt, ErrorTitle = "不在列表中", Error = "请从下拉列表中选择",
        SequenceOfReferences = new ListValue<StringValue> { InnerText = range }, Formula1 = new Formula1(formula),
    });

    /// <summary>A prompt shown when the cell is selected (no restriction).</summary>
    public void Prompt(string range, string prompt) => _validations.Add(new DataValidation
    {
        Type = DataValidationValues.None, AllowBlank = true, ShowInputMessage = true, PromptTitle = "填写说明", Prompt = prompt.Length > 250 ? prompt[..250] : prompt,
        SequenceOfReferences = new ListValue<StringValue> { InnerText = range },
    });

    /// <summary>Printed header and footer on every page (&amp;P page number etc. allowed).</summary>
    public void HeaderFooter(string header, string footer) => (_header, _footer) = (header, footer);

    /// <summary>A PNG tiled behind the cells (Excel's sheet background): the export watermark.</summary>
    public void Background(byte[] png)
    {
        var image = _part.AddImagePart(ImagePartType.Png);
        using (var s = new MemoryStream(png)) image.FeedData(s);
        _pictureRel = _part.GetIdOfPart(image);
    }

    public void Dispose()
    {
        if (_ended) return;
        _ended = true;
        _w.WriteEndElement(); // sheetData
        if (_merges.Count > 0) _w.WriteElement(new MergeCells(_merges.Select(m => new MergeCell { Reference = m })) { Count = (uint)_merges.Count });
        if (_validations.Count > 0) _w.WriteElement(new DataValidations(_validations) { Count = (uint)_validations.Count });
        _w.WriteElement(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.75, Bottom = 0.75, Header = 0.3, Footer = 0.3 });
        _w.WriteElement(new PageSetup { Orientation = OrientationValues.Landscape, PaperSize = 9 });
        if (_header is not null || _footer is not null)
            _w.WriteElement(new HeaderFooter(new OddHeader(_header ?? ""), new OddFooter(_footer ?? "")));
        if (_pictureRel is not null) _w.WriteElement(new Picture { Id = _pictureRel });
        _w.WriteEndElement(); // worksheet
        _w.Dispose();
    }
}
