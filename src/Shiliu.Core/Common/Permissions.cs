using Shiliu.Core.Platform;

namespace Shiliu.Core.Common;

/// <summary>
/// Authorization policies. Each module declares its own constants in a part of this class in its folder, and the roles
/// that hold them in its <see cref="FeatureModule.Declare"/>; the org scope (which records) is a separate, data-level check in
/// <see cref="Data.ShiliuDb"/>.
/// </summary>
public static partial class Permissions
{
    public static bool Allows(string permission, IEnumerable<string> roles) => ShiliuModules.Catalog.Allows(permission, roles);
}
