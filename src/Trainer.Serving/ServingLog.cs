using Microsoft.Extensions.Logging;

namespace Trainer.Serving;

/// <summary>The live server's and the dashboard's log events.</summary>
internal static partial class ServingLog
{
    [LoggerMessage(EventId = 400, EventName = "Serving", Level = LogLevel.Information,
        Message = "Serving the run at {Addresses} (reachable from other machines: {Exposed}; token required: {TokenRequired}); trainer ctl {RunDirectory} status")]
    public static partial void Serving(ILogger logger, string addresses, bool exposed, bool tokenRequired, string runDirectory);

    [LoggerMessage(EventId = 401, EventName = "ServeUnauthorized", Level = LogLevel.Warning,
        Message = "Refused {Method} {Path} from {RemoteAddress}: {Reason}")]
    public static partial void Unauthorized(ILogger logger, string method, string path, string remoteAddress, string reason);

    [LoggerMessage(EventId = 402, EventName = "ControlRejected", Level = LogLevel.Warning,
        Message = "Control request from {ControlSource} rejected ({StatusCode}): {Field}: {Problem}")]
    public static partial void ControlRejected(ILogger logger, string controlSource, int statusCode, string field, string problem);

    [LoggerMessage(EventId = 403, EventName = "ControlAccepted", Level = LogLevel.Information,
        Message = "Control {Action} from {ControlSource} accepted; it applies at the next batch boundary")]
    public static partial void ControlAccepted(ILogger logger, string action, string controlSource);

    [LoggerMessage(EventId = 405, EventName = "ServeRefused", Level = LogLevel.Warning,
        Message = "Refused {Method} {Path} from {RemoteAddress}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string remoteAddress, string reason);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Could not write {EndpointFile}: {Error}")]
    public static partial void EndpointFileFailed(ILogger logger, string endpointFile, string error);

    [LoggerMessage(EventId = 406, EventName = "QueueSubmitted", Level = LogLevel.Information,
        Message = "Queued q{QueueId} {RunName} (priority {Priority}) from {RequestSource}")]
    public static partial void QueueSubmitted(ILogger logger, long queueId, string runName, int priority, string requestSource);

    [LoggerMessage(EventId = 407, EventName = "QueueCancelled", Level = LogLevel.Information,
        Message = "Cancel of q{QueueId} ({State}) from {RequestSource}")]
    public static partial void QueueCancelled(ILogger logger, long queueId, string state, string requestSource);

    [LoggerMessage(EventId = 408, EventName = "QueueRejected", Level = LogLevel.Warning,
        Message = "Queue request from {RequestSource} rejected ({StatusCode}): {Field}: {Problem}")]
    public static partial void QueueRejected(ILogger logger, string requestSource, int statusCode, string field, string problem);
}
