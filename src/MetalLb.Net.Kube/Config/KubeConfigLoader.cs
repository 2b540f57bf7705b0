using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MetalLb.Net.Kube.Config;

/// <summary>
/// Turns a kubeconfig (one file, or the KUBECONFIG list merged as kubectl merges it) into
/// <see cref="KubeClientOptions"/> for one context.
/// </summary>
public static class KubeConfigLoader
{
    /// <summary>
    /// Reads the files named by KUBECONFIG (separated by ':'), or ~/.kube/config when it is
    /// unset, and picks <paramref name="context"/> or else the current-context.
    /// </summary>
    public static KubeClientOptions Load(string? context = null, string? kubeconfigVariable = null, TimeProvider? time = null)
    {
        string? variable = kubeconfigVariable ?? Environment.GetEnvironmentVariable("KUBECONFIG");
        IEnumerable<string> paths = string.IsNullOrWhiteSpace(variable)
            ? [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")]
            : variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return LoadFiles(paths, context, time);
    }

    /// <summary>Merges the files in order (missing ones are skipped, as kubectl does) and picks a context.</summary>
    public static KubeClientOptions LoadFiles(IEnumerable<string> paths, string? context = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var document = new KubeConfigDocument();
        bool any = false;
        foreach (string path in paths)
        {
            if (!File.Exists(path))
                continue;
            any = true;
            string full = Path.GetFullPath(path);
            document.Merge(File.ReadAllText(full), Path.GetDirectoryName(full)!, full);
        }
        if (!any)
            throw new KubeConfigException($"no kubeconfig found at {string.Join(", ", paths)}");
        return Resolve(document, context, time ?? TimeProvider.System);
    }

    /// <summary>One kubeconfig given as text; relative file paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static KubeClientOptions FromYaml(string yaml, string? context = null, string? baseDirectory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var document = new KubeConfigDocument();
        document.Merge(yaml, baseDirectory ?? Directory.GetCurrentDirectory(), "kubeconfig");
        return Resolve(document, context, time ?? TimeProvider.System);
    }

    private static KubeClientOptions Resolve(KubeConfigDocument doc, string? contextName, TimeProvider time)
    {
        contextName ??= doc.CurrentContext
            ?? throw new KubeConfigException("no context given and the kubeconfig has no current-context");
        if (!doc.Contexts.TryGetValue(contextName, out KubeConfigDocument.Entry? context))
            throw new KubeConfigException($"context \"{contextName}\" is not in the kubeconfig");
        string clusterName = context.Get("cluster")
            ?? throw new KubeConfigException($"context \"{contextName}\" names no cluster");
        if (!doc.Clusters.TryGetValue(clusterName, out KubeConfigDocument.Entry? cluster))
            throw new KubeConfigException($"cluster \"{clusterName}\" of context \"{contextName}\" is not in the kubeconfig");
        KubeConfigDocument.Entry? user = null;
        if (context.Get("user") is { } userName && !doc.Users.TryGetValue(userName, out user))
            throw new KubeConfigException($"user \"{userName}\" of context \"{contextName}\" is not in the kubeconfig");

        string server = cluster.Get("server") ?? throw new KubeConfigException($"cluster \"{clusterName}\" has no server");
        if (!Uri.TryCreate(server, UriKind.Absolute, out Uri? serverUri))
            throw new KubeConfigException($"cluster \"{clusterName}\": server \"{server}\" is not a URL");
        // Say so rather than connect anonymously and fail later with a puzzling 401.
        if (user?.Has("auth-provider") == true)
            throw new KubeConfigException($"user of context \"{contextName}\": auth-provider plugins are not supported");
        if (user?.Has("username") == true || user?.Has("password") == true)
            throw new KubeConfigException($"user of context \"{contextName}\": basic authentication (username/password) is not supported");

        return new KubeClientOptions
        {
            Server = serverUri,
            Namespace = context.Get("namespace") ?? "default",
            InsecureSkipTlsVerify = cluster.GetBool("insecure-skip-tls-verify"),
            TlsServerName = cluster.Get("tls-server-name"),
            CertificateAuthorities = ReadCertificateAuthorities(cluster),
            ClientCertificate = user is null ? null : ReadClientCertificate(user),
            Token = user is null ? null : ReadToken(user, time, cluster, contextName),
        };
    }

    private static X509Certificate2Collection ReadCertificateAuthorities(KubeConfigDocument.Entry cluster)
    {
        var roots = new X509Certificate2Collection();
        string? pem = ReadPem(cluster, "certificate-authority-data", "certificate-authority");
        if (pem is not null)
            roots.ImportFromPem(pem);
        return roots;
    }

    private static X509Certificate2? ReadClientCertificate(KubeConfigDocument.Entry user)
    {
        string? cert = ReadPem(user, "client-certificate-data", "client-certificate");
        string? key = ReadPem(user, "client-key-data", "client-key");
        if (cert is null && key is null)
            return null;
        if (cert is null || key is null)
            throw new KubeConfigException("a client certificate needs both the certificate and its key");
        using X509Certificate2 ephemeral = X509Certificate2.CreateFromPem(cert, key);
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    private static ITokenSource? ReadToken(KubeConfigDocument.Entry user, TimeProvider time, KubeConfigDocument.Entry cluster, string contextName)
    {
        // client-go's precedence: a static token or tokenFile wins over an exec plugin.
        if (user.Get("token") is null && user.Get("tokenFile") is null && user.Map("exec") is { } exec)
        {
            var plugin = ExecConfigReader.Read(exec, user.BaseDirectory, $"user of context \"{contextName}\"");
            return new ExecTokenSource(plugin, time, ExecConfigReader.ClusterJson(cluster));
        }
        if (user.Get("token") is { } token)
            return new StaticTokenSource(token);
        if (user.Get("tokenFile") is { } file)
            return new FileTokenSource(Path.Combine(user.BaseDirectory, file), time);
        return null;
    }

    // "-data" holds base64 of the PEM text; the other key names a file, relative to its kubeconfig.
    private static string? ReadPem(KubeConfigDocument.Entry entry, string dataKey, string fileKey)
    {
        if (entry.Get(dataKey) is { } data)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubeConfigException($"{dataKey} is not base64", e);
            }
        }
        if (entry.Get(fileKey) is { } file)
        {
            string path = Path.Combine(entry.BaseDirectory, file);
            if (!File.Exists(path))
                throw new KubeConfigException($"{fileKey} {path} does not exist");
            return File.ReadAllText(path);
        }
        return null;
    }
}
