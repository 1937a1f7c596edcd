using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Hosting;
using Trainer.Serving;
using Trainer.Serving.Api;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer ctl RUN_DIR status|lr 0.003|lr x0.5|pause|resume|checkpoint|stop [--token TOKEN]</c>: steers a run that
/// serves (<c>trainer run RECIPE --serve</c>), finding it through <c>RUN_DIR/endpoint.json</c>.
/// </summary>
internal static class CtlCommand
{
    private static readonly string[] Actions = ["status", "lr", "pause", "resume", "checkpoint", "stop"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Argument<string>("run-dir") { Description = "The run directory of a run started with --serve." };
        var action = new Argument<string>("action") { Description = "status, lr VALUE (0.003, or x0.5 for a factor), pause, resume, checkpoint or stop." };
        var value = new Argument<string?>("value") { Description = "For lr: the new rate (0.003) or a factor (x0.5).", Arity = ArgumentArity.ZeroOrOne };
        var token = new Option<string?>("--token") { Description = $"The run's Serve:Token. Default: the environment variable {ServeOptions.TokenVariable}." };
        var url = new Option<string?>("--url")
        {
            Description = "Where the run serves, when that is not this machine (endpoint.json then only names the run). Default: endpoint.json's loopback address.",
        };
        var command = new Command("ctl", "Show or steer a serving run: its status, the learning rate, pause, resume, checkpoint now, stop.")
        {
            directory, action, value, token, url,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            try
            {
                return await RunAsync(parse.GetValue(directory)!, parse.GetValue(action)!, parse.GetValue(value),
                    parse.GetValue(token) ?? Environment.GetEnvironmentVariable(ServeOptions.TokenVariable), parse.GetValue(url), output, cancellation).ConfigureAwait(false);
            }
            catch (CtlException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string runDirectory, string action, string? value, string? token, string? url, TextWriter output,
        CancellationToken cancellation)
    {
        var body = Body(action, value);
        EndpointInfo? endpoint;
        try
        {
            endpoint = EndpointInfo.Read(runDirectory);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CtlException($"'{Path.Combine(runDirectory, EndpointInfo.FileName)}' cannot be read ({e.Message}).");
        }
        if (endpoint is null)
            throw new CtlException(Directory.Exists(runDirectory)
                ? $"the run in '{runDirectory}' is not serving (it has no {EndpointInfo.FileName}); start it with 'trainer run RECIPE --serve'."
                : $"'{runDirectory}' is not a run directory.");
        if (endpoint.Ended)
            throw new CtlException($"the run {endpoint.RunId} has ended (status {endpoint.Status ?? "unknown"}); there is nothing to control.");
        var address = Address(endpoint, url);
        if (url is null && !StillRunning(endpoint))
            throw new CtlException($"the run {endpoint.RunId} has ended: its process {endpoint.Pid} is gone (killed before it could mark {EndpointInfo.FileName}).");
        if (endpoint.TokenRequired && string.IsNullOrEmpty(token))
            throw new CtlException($"the run needs a token: set {ServeOptions.TokenVariable} or pass --token.");

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
        if (!string.IsNullOrEmpty(token)) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = body is null
                ? await client.GetAsync("/api/run", cancellation).ConfigureAwait(false)
                : await client.PostAsync("/api/run/control", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new CtlException($"the run {endpoint.RunId} does not answer at {address} ({e.Message}); it is no longer serving.");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw new CtlException(await Refusal(response, cancellation).ConfigureAwait(false));
            if (body is null)
            {
                LiveRunStatus? status;
                try
                {
                    status = await response.Content.ReadFromJsonAsync<LiveRunStatus>(ServeJson.Options, cancellation).ConfigureAwait(false);
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
                {
                    status = null;
                }
                if (status is null)
                    throw new CtlException($"{address} answered with something that is not a run's status; is it a trainer run? ({(int)response.StatusCode} " +
                                           $"{response.Content.Headers.ContentType?.MediaType ?? "no content type"})");
                await output.WriteLineAsync(Describe(status)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync($"accepted: {action}{(value is null ? "" : " " + value)} (applied at the next batch)").ConfigureAwait(false);
            }
        }
        return ExitCodes.Completed;
    }

    /// <summary>
    /// Where to send the request (and the token): the address the user named, or endpoint.json's when it is this
    /// machine's loopback. A file in a run directory is not trusted to send the token elsewhere.
    /// </summary>
    private static Uri Address(EndpointInfo endpoint, string? url)
    {
        if (url is not null)
            return Uri.TryCreate(url, UriKind.Absolute, out var named) && named.Scheme is "http" or "https"
                ? named
                : throw new CtlException($"--url '{url}' is not an http(s) address, e.g. http://trainer-host:5000.");
        if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var listed) || listed.Scheme is not ("http" or "https"))
            throw new CtlException($"{EndpointInfo.FileName} names '{endpoint.Url}', which is not an http address.");
        if (!ServeOptions.IsLoopback(listed.Host))
            throw new CtlException($"{EndpointInfo.FileName} names {listed}, which is not this machine; pass --url with the run's address if that is where it serves.");
        return listed;
    }

    /// <summary>False when endpoint.json's process is gone from this machine (a run killed before it could mark the file).</summary>
    private static bool StillRunning(EndpointInfo endpoint)
    {
        if (endpoint.Pid <= 0) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(endpoint.Pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The control request for <paramref name="action"/>, or null for status.</summary>
    private static JsonObject? Body(string action, string? value)
    {
        if (!Actions.Contains(action)) throw new CtlException($"'{action}' is not a ctl action; use one of {string.Join(", ", Actions)}.");
        if (action != "lr")
        {
            if (value is not null) throw new CtlException($"'{action}' takes no value.");
            return action == "status" ? null : new JsonObject { ["action"] = action };
        }
        if (value is null) throw new CtlException("lr needs a value: 'lr 0.003' sets the rate, 'lr x0.5' multiplies it.");
        var factor = value.StartsWith('x') || value.StartsWith('*');
        if (!double.TryParse(factor ? value[1..] : value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !(number > 0) || !double.IsFinite(number))
            throw new CtlException($"lr '{value}' is not a rate above 0; write 'lr 0.003' or 'lr x0.5'.");
        return new JsonObject { ["action"] = "lr", [factor ? "factor" : "value"] = number };
    }

    private static async Task<string> Refusal(HttpResponseMessage response, CancellationToken cancellation)
    {
        var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        string? detail = null;
        try
        {
            detail = JsonNode.Parse(text)?["detail"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            // not a problem document
        }
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"the run refused the token (401): set {ServeOptions.TokenVariable} or --token to the run's Serve:Token.",
            HttpStatusCode.Conflict => $"the run refused (409): {detail ?? text}",
            _ => $"the run refused ({(int)response.StatusCode}): {detail ?? text}",
        };
    }

    private static string Describe(LiveRunStatus s)
    {
        var c = CultureInfo.InvariantCulture;
        var line = new StringBuilder();
        line.Append(c, $"{s.RunId} ({s.Recipe}): {s.Status}, epoch {s.Epoch}/{s.Epochs}, step {s.Step} (batch {s.Batch}/{s.StepsPerEpoch})");
        if (s.LearningRate is { } lr) line.Append(c, $", lr {lr:G4}");
        if (s.SamplesPerSecond is { } rate) line.Append(c, $", {rate:0} samples/s");
        if (s.EtaSeconds is { } eta) line.Append(c, $", ETA {TimeSpan.FromSeconds(Math.Round(eta)):c}");
        if (s.PausedSeconds > 0) line.Append(c, $", paused {s.PausedSeconds:0.0} s");
        if (s.LastEpoch is { } last)
            line.Append(c, $"{Environment.NewLine}  epoch {last.Epoch}: ").Append(string.Join(" ", last.Values.Select(v => string.Create(c, $"{v.Key}={v.Value:G4}"))));
        if (s.Best is { } best) line.Append(c, $"{Environment.NewLine}  best: epoch {best.Epoch}, {best.Metric}={best.Value:G4}");
        return line.ToString();
    }

    private sealed class CtlException(string message) : Exception(message);
}
