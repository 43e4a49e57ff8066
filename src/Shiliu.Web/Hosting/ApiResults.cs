using Microsoft.AspNetCore.Http.HttpResults;

namespace Shiliu.Web.Hosting;

/// <summary>What every create answers: the new item's id (its address is in the Location header).</summary>
public sealed record CreatedId(Guid Id);

/// <summary>Answers that follow one convention across the API's modules.</summary>
public static class ApiResults
{
    /// <summary>201 Created, Location <paramref name="collection"/>/{id}, and the id in the body.</summary>
    public static Created<CreatedId> Created(string collection, Guid id) => TypedResults.Created($"{collection.TrimEnd('/')}/{id}", new CreatedId(id));
}
