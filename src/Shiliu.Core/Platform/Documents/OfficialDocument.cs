using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using SkiaSharp;
using A = DocumentFormat.OpenXml.Drawing;
using Dw = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using Pic = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Shiliu.Core.Platform.Documents;

/// <summary>The typefaces of GB/T 9704 by role, as offices name them in Word and WPS.</summary>
public static class GongwenFonts
{
    public const string XiaoBiaoSong = "方正小标宋简体", FangSong = "仿宋_GB2312", KaiTi = "楷体_GB2312", HeiTi = "黑体", SongTi = "宋体";

    /// <summary>Numbers and Latin letters in the body: Word takes a run's ascii/hAnsi font for them, the East-Asian font for Chinese.</summary>
    public const string Latin = "Times New Roman";
}

/// <summary>Sizes in half-points, by their Chinese names.</summary>
public static class GongwenSizes
{
    public const int Er = 44, San = 32, Si = 28, XiaoSi = 24, Wu = 21;
}

/// <summary>The numbers of 公文 headings and items: 一、二、… 十、十一、… 九十九.</summary>
public static class GongwenNumerals
{
    static readonly string[] Digits = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];

    public static string Of(int n) => n switch
    {
        < 1 or > 99 => n.ToString(),
        < 10 => Digits[n - 1],
        _ => (n / 10 == 1 ? "" : Digits[n / 10 - 1]) + "十" + (n % 10 == 0 ? "" : Digits[n % 10 - 1]),
    };
}

/// <summary>A piece of a paragraph in one face: e.g. a 黑体 lead-in followed by 仿宋 text.</summary>
public readonly record struct Span(string Text, string Font = GongwenFonts.FangSong, int Size = GongwenSizes.San, bool Bold = false, string? Color = null);

/// <summary>
/// A Word document laid out by GB/T 9704-2012 as Word and WPS open it: A4, 天头 37 mm, 下白边 35 mm, 订口 28 mm, 右 26 mm, a
/// grid of 22 lines × 28 characters of 3号 text, title in 小标宋 2号, body in 仿宋_GB2312 3号 with the East-Asian face named on
/// every run (both programs ignore the Latin name for Chinese) and Times New Roman for figures, headings 黑体 / 楷体 /
/// 仿宋 bold by level, and page numbers "— 1 —" in 4号 宋体 outside at the bottom (odd pages right, even left, one
/// character in). The only field is PAGE, which needs no update on open. Fonts are named, not embedded; the font table
/// tells Word and WPS which common face (仿宋, 楷体, 宋体) stands in where the named one is missing.
/// Every string written is passed to <paramref name="check"/> first (the export service refuses unmasked personal data).
/// </summary>
public sealed class OfficialDocument : IDisposable
{
    // A4 and the margins in twentieths of a point (1 mm = 56.7 twips).
    const int PageWidth = 11906, PageHeight = 16838, Top = 2098, Bottom = 1984, Left = 1587, Right = 1474;
    // The type area is 225 mm high: 22 lines make a pitch of 28.95 pt. It is 156 mm (442 pt) wide: 28 characters of 3号
    // (16 pt) fit when each is drawn 0.25 pt closer. That is set as character spacing rather than Word's character grid,
    // which LibreOffice lays out by snapping each character to two grid cells (14 characters a line).
    const int LinePitch = 579, Tighten = -5;
    // 一字: one 3号 character, the indent unit of the body.
    const int OneChar = 320;

    readonly WordprocessingDocument _doc;
    readonly MainDocumentPart _main;
    readonly Body _body = new();
    readonly Action<string>? _check;
    uint _pictures;
    bool _finished;

    public OfficialDocument(Stream output, string title, string author, Action<string>? check = null)
    {
        _check = check;
        _doc = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document);
        _doc.PackageProperties.Title = title;
        _doc.PackageProperties.Creator = author;
        _doc.PackageProperties.Language = "zh-CN";
        _main = _doc.AddMainDocumentPart();
        _main.Document = new Document(_body);
        AddStyles();
        AddFontTable();
        AddSettings();
    }

    /// <summary>
    /// The red 发文机关标志 (e.g. "××县民族团结进步创建工作领导小组办公室", or a 纪要's "××纪要"), an optional line under it in 仿宋
    /// (a 纪要's unit and date), and the red separator line.
    /// </summary>
    public OfficialDocument Mark(string issuer, string? under = null)
    {
        _body.Append(Para([new Span(issuer, GongwenFonts.XiaoBiaoSong, GongwenSizes.Er, Color: "FF0000")], JustificationValues.Center));
        if (!string.IsNullOrWhiteSpace(under)) _body.Append(Para([new Span(under)], JustificationValues.Center));
        _body.Append(new Paragraph(new ParagraphProperties(
            new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 12, Color = "FF0000", Space = 1 }),
            Spacing(0))));
        return this;
    }

    /// <summary>The title in 小标宋 2号, centred, with a blank line after; a subtitle ("——××社区民族工作情况汇报") in 楷体 3号 under it.</summary>
    public OfficialDocument Title(string title, string? subtitle = null)
    {
        _body.Append(Para([new Span(title, GongwenFonts.XiaoBiaoSong, GongwenSizes.Er)], JustificationValues.Center, before: LinePitch));
        if (!string.IsNullOrWhiteSpace(subtitle))
            _body.Append(Para([new Span(subtitle, GongwenFonts.KaiTi)], JustificationValues.Center));
        _body.Append(Para([], JustificationValues.Left));
        return this;
    }

    /// <summary>
    /// A heading of the body's levels: 1 "一、" 黑体, 2 "（一）" 楷体, 3 "1." 仿宋 bold, 4 "（1）" 仿宋; the caller writes the
    /// numbering, as offices do (automatic numbering reads differently in WPS).
    /// </summary>
    public OfficialDocument Heading(int level, string text)
    {
        var span = level switch
        {
            1 => new Span(text, GongwenFonts.HeiTi),
            2 => new Span(text, GongwenFonts.KaiTi),
            3 => new Span(text, Bold: true),
            _ => new Span(text),
        };
        _body.Append(Para([span], JustificationValues.Both, firstLine: 2 * OneChar, outline: level <= 3 ? level - 1 : null));
        return this;
    }

    /// <summary>A body paragraph, first line indented two characters.</summary>
    public OfficialDocument Paragraph(string text) => Paragraph(new Span(text));

    /// <summary>A body paragraph of several faces (e.g. a 黑体 lead-in, then 仿宋).</summary>
    public OfficialDocument Paragraph(params Span[] spans)
    {
        _body.Append(Para(spans, JustificationValues.Both, firstLine: 2 * OneChar));
        return this;
    }

    /// <summary>
    /// A note line in 楷体 4号 saying where a section's figures came from ("（数据来源：人口台账，截至2026年12月6日）"); kept
    /// visibly apart from the text so whoever edits the draft knows what to check before filing it.
    /// </summary>
    public OfficialDocument Note(string text)
    {
        _body.Append(Para([new Span(text, GongwenFonts.KaiTi, GongwenSizes.Si, Color: "595959")], JustificationValues.Both, firstLine: 2 * OneChar));
        return this;
    }

    /// <summary>The 落款: the issuing unit over the date, right-aligned, kept on one page together.</summary>
    public OfficialDocument Signature(string issuer, DateOnly date)
    {
        _body.Append(Para([new Span(issuer)], JustificationValues.Right, right: 4 * OneChar, keepNext: true));
        _body.Append(Para([new Span(date.ToString("yyyy年M月d日"))], JustificationValues.Right, right: 4 * OneChar));
        return this;
    }

    /// <summary>A line aligned right, e.g. the 落款 (issuing unit, then the date in figures).</summary>
    public OfficialDocument RightAligned(string text, int charsFromRight = 4)
    {
        _body.Append(Para([new Span(text)], JustificationValues.Right, right: charsFromRight * OneChar));
        return this;
    }

    /// <summary>A centred line (a table's or a picture's caption, 黑体 4号 by default).</summary>
    public OfficialDocument Centered(string text, string font = GongwenFonts.HeiTi, int size = GongwenSizes.Si)
    {
        _body.Append(Para([new Span(text, font, size)], JustificationValues.Center));
        return this;
    }

    /// <summary>A hanging paragraph such as "出席：…" or "附件：1. …": the label in <paramref name="labelFont"/>, wrapped lines under the text after it.</summary>
    public OfficialDocument Hanging(string label, string text, string labelFont = GongwenFonts.HeiTi)
    {
        var indent = label.Length * OneChar;
        _body.Append(Para([new Span(label, labelFont), new Span(text)], JustificationValues.Both, left: indent, hanging: indent));
        return this;
    }

    /// <summary>An empty line of the grid.</summary>
    public OfficialDocument Blank()
    {
        _body.Append(Para([], JustificationValues.Left));
        return this;
    }

    /// <summary>A page break (an annex starts on a new page).</summary>
    public OfficialDocument PageBreak()
    {
        _body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
        return this;
    }

    /// <summary>
    /// A table in 仿宋 4号 with a 黑体 header row repeated on every page, across the type area; <paramref name="widths"/>
    /// are relative (they are scaled to 156 mm). Cells holding numbers are right-aligned.
    /// </summary>
    public OfficialDocument Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, IReadOnlyList<double>? widths = null,
        int size = GongwenSizes.Si)
    {
        var area = PageWidth - Left - Right;
        var w = widths ?? Enumerable.Repeat(1.0, headers.Count).ToList();
        var sum = w.Sum();
        var cols = w.Select(x => (int)Math.Round(area * x / sum)).ToList();
        var border = new Func<BorderType, BorderType>(b => { b.Val = BorderValues.Single; b.Size = 4; b.Color = "000000"; return b; });
        var table = new Table(new TableProperties(
            new TableWidth { Type = TableWidthUnitValues.Dxa, Width = area.ToString() },
            new TableJustification { Val = TableRowAlignmentValues.Center },
            new TableBorders(border(new TopBorder()), border(new LeftBorder()), border(new BottomBorder()), border(new RightBorder()),
                border(new InsideHorizontalBorder()), border(new InsideVerticalBorder())),
            new TableLayout { Type = TableLayoutValues.Fixed },
            new TableCellMarginDefault(new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa }, new TableCellLeftMargin { Width = 80, Type = TableWidthValues.Dxa },
                new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa }, new TableCellRightMargin { Width = 80, Type = TableWidthValues.Dxa })),
            new TableGrid(cols.Select(c => new GridColumn { Width = c.ToString() })));
        table.Append(Row(headers, cols, size, header: true));
        foreach (var r in rows) table.Append(Row(r, cols, size, header: false));
        _body.Append(table);
        return this;
    }

    /// <summary>
    /// A picture (JPEG or PNG) centred at <paramref name="widthMm"/> wide, height kept to its proportions, with its caption in
    /// 楷体 4号 under it. An unreadable image is refused with a message naming it.
    /// </summary>
    public OfficialDocument Picture(byte[] image, string caption, double widthMm = 120)
    {
        Check(caption);
        using var codec = SKCodec.Create(new MemoryStream(image))
            ?? throw new ArgumentException($"图片“{caption}”无法读取");
        var type = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => ImagePartType.Jpeg,
            SKEncodedImageFormat.Png => ImagePartType.Png,
            _ => throw new ArgumentException($"图片“{caption}”须为 JPEG 或 PNG"),
        };
        var part = _main.AddImagePart(type);
        using (var s = new MemoryStream(image)) part.FeedData(s);
        const long EmuPerMm = 36000;
        var cx = (long)(widthMm * EmuPerMm);
        var cy = (long)(cx * (double)codec.Info.Height / codec.Info.Width);
        var id = ++_pictures;
        var name = $"图{id}";
        var graphic = new A.Graphic(new A.GraphicData(
            new Pic.Picture(
                new Pic.NonVisualPictureProperties(new Pic.NonVisualDrawingProperties { Id = id, Name = name, Description = caption },
                    new Pic.NonVisualPictureDrawingProperties()),
                new Pic.BlipFill(new A.Blip { Embed = _main.GetIdOfPart(part) }, new A.Stretch(new A.FillRectangle())),
                new Pic.ShapeProperties(new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
        { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" });
        var inline = new Dw.Inline(new Dw.Extent { Cx = cx, Cy = cy }, new Dw.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
            new Dw.DocProperties { Id = id, Name = name, Description = caption },
            new Dw.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }), graphic)
        { DistanceFromTop = 0, DistanceFromBottom = 0, DistanceFromLeft = 0, DistanceFromRight = 0 };
        // A picture is taller than the grid's exact line: its paragraph spaces to fit it.
        _body.Append(new Paragraph(new ParagraphProperties(
            new SpacingBetweenLines { Before = "120", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }, new Justification { Val = JustificationValues.Center }),
            new Run(new Drawing(inline))));
        _body.Append(Para([new Span(caption, GongwenFonts.KaiTi, GongwenSizes.Si)], JustificationValues.Center));
        return this;
    }

    /// <summary>Closes the body with the page setup and the footers; called by <see cref="Dispose"/> when not called before.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        var odd = _main.AddNewPart<FooterPart>();
        odd.Footer = PageNumberFooter(JustificationValues.Right);
        var even = _main.AddNewPart<FooterPart>();
        even.Footer = PageNumberFooter(JustificationValues.Left);
        _body.Append(new SectionProperties(
            new FooterReference { Type = HeaderFooterValues.Default, Id = _main.GetIdOfPart(odd) },
            new FooterReference { Type = HeaderFooterValues.Even, Id = _main.GetIdOfPart(even) },
            new PageSize { Width = PageWidth, Height = PageHeight },
            // The footer's bottom sits 23 mm above the page edge, so the "— 1 —" line starts 7 mm under the type area.
            new PageMargin { Top = Top, Bottom = Bottom, Left = (uint)Left, Right = (uint)Right, Header = 851, Footer = 1304, Gutter = 0 },
            new DocGrid { Type = DocGridValues.Lines, LinePitch = LinePitch }));
        _main.Document.Save();
    }

    public void Dispose()
    {
        Finish();
        _doc.Dispose();
    }

    void Check(string text) => _check?.Invoke(text);

    TableRow Row(IReadOnlyList<string?> cells, IReadOnlyList<int> cols, int size, bool header)
    {
        var row = new TableRow();
        var props = new TableRowProperties(new CantSplit());
        if (header) props.Append(new TableHeader());
        row.Append(props);
        for (var i = 0; i < cols.Count; i++)
        {
            var text = i < cells.Count ? cells[i] ?? "" : "";
            var numeric = !header && text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c is '.' or ',' or '%' or '-' or '+');
            var align = header ? JustificationValues.Center : numeric ? JustificationValues.Right : JustificationValues.Left;
            var p = Para([new Span(text, header ? GongwenFonts.HeiTi : GongwenFonts.FangSong, size)], align, gridLine: false);
            row.Append(new TableCell(new TableCellProperties(new TableCellWidth { Type = TableWidthUnitValues.Dxa, Width = cols[i].ToString() },
                new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center }), p));
        }
        return row;
    }

    Paragraph Para(IReadOnlyList<Span> spans, JustificationValues align, int firstLine = 0, int left = 0, int right = 0, int hanging = 0,
        int before = 0, int? outline = null, bool gridLine = true, bool keepNext = false)
    {
        // Children in the schema's order: keepNext, spacing, ind, jc, outlineLvl.
        var props = new ParagraphProperties();
        if (keepNext) props.Append(new KeepNext());
        props.Append(gridLine ? Spacing(before) : new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto });
        if (firstLine > 0 || left > 0 || right > 0 || hanging > 0)
        {
            var ind = new Indentation();
            if (firstLine > 0) ind.FirstLine = firstLine.ToString();
            if (left > 0) ind.Left = left.ToString();
            if (right > 0) ind.Right = right.ToString();
            if (hanging > 0) ind.Hanging = hanging.ToString();
            props.Append(ind);
        }
        props.Append(new Justification { Val = align });
        if (outline is { } level) props.Append(new OutlineLevel { Val = level });
        var p = new Paragraph(props);
        foreach (var s in spans) p.Append(RunOf(s));
        return p;
    }

    static SpacingBetweenLines Spacing(int before) =>
        new() { Before = before.ToString(), After = "0", Line = LinePitch.ToString(), LineRule = LineSpacingRuleValues.Exact };

    Run RunOf(Span s)
    {
        Check(s.Text);
        return new Run(Props(s.Font, s.Size, s.Bold, s.Color), new Text(s.Text) { Space = SpaceProcessingModeValues.Preserve });
    }

    /// <summary>Run properties naming the East-Asian face explicitly, with figures and Latin letters in Times New Roman.</summary>
    static RunProperties Props(string font, int size, bool bold = false, string? color = null)
    {
        var p = new RunProperties(new RunFonts { Ascii = GongwenFonts.Latin, HighAnsi = GongwenFonts.Latin, EastAsia = font, ComplexScript = GongwenFonts.Latin, Hint = FontTypeHintValues.EastAsia });
        if (bold) p.Append(new Bold(), new BoldComplexScript());
        if (color is not null) p.Append(new Color { Val = color });
        p.Append(new FontSize { Val = size.ToString() }, new FontSizeComplexScript { Val = size.ToString() },
            new Languages { Val = "en-US", EastAsia = "zh-CN" });
        return p;
    }

    /// <summary>"— 1 —" in 4号 宋体 figures, one character in from the outside edge.</summary>
    static Footer PageNumberFooter(JustificationValues side)
    {
        var ind = side == JustificationValues.Right ? new Indentation { Right = "280" } : new Indentation { Left = "280" };
        Run Dash() => new(Props(GongwenFonts.SongTi, GongwenSizes.Si), new Text("— ") { Space = SpaceProcessingModeValues.Preserve });
        return new Footer(new Paragraph(new ParagraphProperties(ind, new Justification { Val = side }),
            Dash(),
            new SimpleField(new Run(Props(GongwenFonts.SongTi, GongwenSizes.Si), new Text("1"))) { Instruction = " PAGE " },
            new Run(Props(GongwenFonts.SongTi, GongwenSizes.Si), new Text(" —") { Space = SpaceProcessingModeValues.Preserve })));
    }

    void AddStyles()
    {
        var styles = _main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = GongwenFonts.Latin, HighAnsi = GongwenFonts.Latin, EastAsia = GongwenFonts.FangSong, ComplexScript = GongwenFonts.Latin },
                    new FontSize { Val = GongwenSizes.San.ToString() }, new FontSizeComplexScript { Val = GongwenSizes.San.ToString() },
                    new Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { Before = "0", After = "0", Line = LinePitch.ToString(), LineRule = LineSpacingRuleValues.Exact }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle(),
                new StyleRunProperties(new RunFonts { Ascii = GongwenFonts.Latin, HighAnsi = GongwenFonts.Latin, EastAsia = GongwenFonts.FangSong, ComplexScript = GongwenFonts.Latin },
                    new Spacing { Val = Tighten }, new FontSize { Val = GongwenSizes.San.ToString() }, new FontSizeComplexScript { Val = GongwenSizes.San.ToString() }))
            { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true });
    }

    /// <summary>
    /// The named faces with their character set (GB2312) and the common face each falls back to, so a machine without
    /// 仿宋_GB2312 or 方正小标宋 shows 仿宋 / 宋体 rather than a Latin default.
    /// </summary>
    void AddFontTable()
    {
        var part = _main.AddNewPart<FontTablePart>();
        Font F(string name, string alt, FontFamilyValues family) =>
            new(new AltName { Val = alt }, new FontCharSet { Val = "86" }, new FontFamily { Val = family }, new Pitch { Val = FontPitchValues.Fixed }) { Name = name };
        part.Fonts = new Fonts(
            F(GongwenFonts.FangSong, "仿宋", FontFamilyValues.Modern),
            F(GongwenFonts.KaiTi, "楷体", FontFamilyValues.Modern),
            F(GongwenFonts.XiaoBiaoSong, "宋体", FontFamilyValues.Roman),
            F(GongwenFonts.HeiTi, "SimHei", FontFamilyValues.Modern),
            F(GongwenFonts.SongTi, "SimSun", FontFamilyValues.Auto),
            new Font(new FontCharSet { Val = "00" }, new FontFamily { Val = FontFamilyValues.Roman }, new Pitch { Val = FontPitchValues.Variable }) { Name = GongwenFonts.Latin });
    }

    void AddSettings()
    {
        var part = _main.AddNewPart<DocumentSettingsPart>();
        // Odd and even pages carry their page numbers on opposite sides.
        part.Settings = new Settings(new DefaultTabStop { Val = OneChar * 2 }, new EvenAndOddHeaders(),
            new CharacterSpacingControl { Val = CharacterSpacingValues.CompressPunctuation });
    }
}
