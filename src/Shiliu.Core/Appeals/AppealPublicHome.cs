using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Appeals;

/// <summary>The public home's way in to filing an appeal and looking one up (links only, nothing read from appeals).</summary>
sealed class AppealPublicHome : IPublicHomeSource
{
    public Task<PublicSection?> SectionAsync(ShiliuDb db, CancellationToken ct) => Task.FromResult<PublicSection?>(new PublicSection("群众诉求", 15,
    [
        new PublicEntry("我要反映诉求", ["不用注册，手机上就能填；提交后得到查询码和查询密码"], "/public/appeal"),
        new PublicEntry("查询诉求办理情况", ["凭查询码和查询密码查看办理进度和答复"], "/public/appeal/lookup"),
    ], "遇到困难和问题，可以在网上反映，由所在社区受理并答复。"));
}
