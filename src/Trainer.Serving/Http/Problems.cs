using Microsoft.AspNetCore.Http;

namespace Trainer.Serving.Http;

/// <summary>RFC 7807 problem responses (<c>application/problem+json</c>) that name the field at fault.</summary>
internal static class Problems
{
    public static IResult For(int status, string title, string field, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}
