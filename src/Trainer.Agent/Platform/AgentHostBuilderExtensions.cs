using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Logging;

namespace Trainer.Agent.Platform;

/// <summary>
/// The agent's host as an operating-system service: the Windows Service lifetime and systemd notifications.
/// <para>
/// As a Windows service (from an elevated prompt; the space after each <c>name=</c> is required, and a quote inside
/// binPath is written <c>\"</c>):
/// <code>
/// sc.exe create TrainerAgent binPath= "\"C:\Program Files\Trainer\trainer.exe\" agent --queue sqlite:C:\Trainer\queue.db --runs C:\Trainer\runs" start= delayed-auto
/// sc.exe failure TrainerAgent reset= 86400 actions= restart/60000
/// sc.exe start TrainerAgent
/// </code>
/// A service starts in C:\Windows\System32, so every path in binPath is absolute. The account (<c>obj= "NT AUTHORITY\NetworkService"</c>,
/// default LocalSystem) must be able to write the runs folder and the queue's folder.
/// </para>
/// </summary>
public static class AgentHostBuilderExtensions
{
    /// <summary>
    /// Lets the host run as a Windows service (<c>AddWindowsService</c>: the service lifetime, only when the service control
    /// manager started the process; nothing changes elsewhere, Linux included) and then sets the content root to the
    /// executable's folder instead of C:\Windows\System32. <paramref name="shutdownTimeout"/>, when given, is how long the
    /// host waits for its services to stop (the agent's checkpoint); keep it under the unit's TimeoutStopSec=.
    /// </summary>
    public static HostApplicationBuilder UseServiceLifetime(this HostApplicationBuilder builder, TimeSpan? shutdownTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddWindowsService();
        if (WindowsServiceHelpers.IsWindowsService())
        {
            builder.Environment.ContentRootPath = AppContext.BaseDirectory;
            builder.Environment.ContentRootFileProvider = new PhysicalFileProvider(AppContext.BaseDirectory);
        }
        if (shutdownTimeout is { } timeout) builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="SystemdNotifier"/> for this process's NOTIFY_SOCKET (taken out of the environment) and
    /// <see cref="ServiceNotifications"/>, both as singletons, the latter also as a hosted service. The agent resolves
    /// <see cref="ServiceNotifications"/> to call <see cref="ServiceNotifications.Ready"/> and
    /// <see cref="ServiceNotifications.Status"/>.
    /// </summary>
    /// <param name="builder">The agent's host builder.</param>
    /// <param name="healthProbe">Gives the health probe (true while the agent is not stalled) from the services.</param>
    public static IHostApplicationBuilder AddServiceNotifications(this IHostApplicationBuilder builder, Func<IServiceProvider, Func<bool>> healthProbe)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(healthProbe);
        builder.Services.AddSingleton(s => SystemdNotifier.FromEnvironment(s.GetService<ILoggerFactory>()?.CreateLogger<SystemdNotifier>()));
        builder.Services.AddSingleton(s => new ServiceNotifications(
            s.GetRequiredService<SystemdNotifier>(), s.GetRequiredService<IHostApplicationLifetime>(), healthProbe(s),
            s.GetService<ILogger<ServiceNotifications>>()));
        builder.Services.AddHostedService(s => s.GetRequiredService<ServiceNotifications>());
        return builder;
    }
}
