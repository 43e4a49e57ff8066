namespace Shiliu.Core.Questionnaires;

/// <summary>
/// The template the county starts from: 社区服务满意度 on the four-level scale 满意 / 基本满意 / 不太满意 / 不满意 with the
/// items of 济南六里山's survey, and 诉求渠道知晓度 (DOMAIN.md §4); it reports toward 第13条 (畅通群众诉求渠道, 问卷调查)
/// as the share of 满意 + 基本满意 in the overall question.
/// </summary>
public static class QuestionnaireTemplate
{
    public const int CriterionNo = 13;

    public sealed record Template(string Title, string Intro, QuestionForm Form, string ScoreQuestion, IReadOnlyList<string> ScoreOptions);

    static QuestionOption O(string label) => new() { Label = label };

    static List<QuestionOption> Scale() => [O("满意"), O("基本满意"), O("不太满意"), O("不满意")];

    public static Template Satisfaction()
    {
        var form = new QuestionForm
        {
            Sections =
            [
                new QuestionSection
                {
                    Title = "基本情况", Note = "只用于分组统计，不填写姓名、电话和住址。",
                    Questions =
                    [
                        new Question { Key = "age", Kind = QuestionKind.Single, Text = "您的年龄", Required = true,
                            Options = [O("20岁以下"), O("20—29岁"), O("30—39岁"), O("40—49岁"), O("50—59岁"), O("60岁及以上")] },
                        new Question { Key = "years", Kind = QuestionKind.Single, Text = "您在本社区居住了多久", Required = true,
                            Options = [O("不满1年"), O("1—3年"), O("3—5年"), O("5年以上")] },
                    ],
                },
                new QuestionSection
                {
                    Title = "社区服务满意度",
                    Questions =
                    [
                        new Question { Key = "overall", Kind = QuestionKind.Single, Text = "您对社区民族团结进步创建工作和服务的总体评价", Required = true, Options = Scale() },
                        new Question { Key = "items", Kind = QuestionKind.Matrix, Text = "请对以下各方面分别评价", Required = true, Options = Scale(),
                            Rows = [O("办事效率及便利"), O("社区环境"), O("文体活动"), O("服务困难群众"), O("工作人员专业水平和服务态度")] },
                    ],
                },
                new QuestionSection
                {
                    Title = "诉求渠道知晓度",
                    Questions =
                    [
                        new Question { Key = "channels", Kind = QuestionKind.Multiple, Text = "您知道以下哪些反映意见和诉求的渠道（可多选）", Required = true,
                            Options = [O("社区服务窗口"), O("服务热线"), O("网上诉求页面"), O("网格员走访"), O("以上都不知道")] },
                        new Question { Key = "raised", Kind = QuestionKind.Single, Text = "过去一年，您是否向社区反映过意见或诉求", Required = true,
                            Options = [O("反映过"), O("没有反映过")] },
                        new Question { Key = "handled", Kind = QuestionKind.Rating, Text = "您对诉求办理结果的满意程度（1分最低，5分最高）", Required = true,
                            ShowIf = new ShowIf { Question = "raised", AnyOf = ["a"] } },
                        new Question { Key = "suggest", Kind = QuestionKind.Text, Text = "您对社区工作还有什么意见和建议", MaxLength = 500 },
                    ],
                },
            ],
        };
        form.Normalize();
        return new Template("社区群众满意度和诉求渠道知晓度调查问卷",
            "您好！为了解各族群众对社区服务的评价，改进社区民族团结进步创建工作，请您抽出几分钟填写本问卷。问卷不记名，不收集姓名、电话和住址，结果只做统计使用。谢谢您的支持！",
            form, "overall", ["a", "b"]);
    }
}
