using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace MetalLb.Net.Kube.Config;

/// <summary>Reads a kubeconfig user's <c>exec</c> mapping into an <see cref="ExecCredentialPlugin"/>, checked as kubectl checks it.</summary>
internal static class ExecConfigReader
{
    public static ExecCredentialPlugin Read(KubeConfigDocument.Entry exec, string baseDirectory, string where)
    {
        string command = exec.Get("command") ?? throw new KubeConfigException($"{where}: exec needs a command");
        string apiVersion = exec.Get("apiVersion") ?? throw new KubeConfigException($"{where}: exec needs an apiVersion");
        if (apiVersion is not (ExecCredentialPlugin.V1 or ExecCredentialPlugin.V1Beta1))
        {
            throw new KubeConfigException(
                $"{where}: exec apiVersion \"{apiVersion}\" is not supported (use {ExecCredentialPlugin.V1} or {ExecCredentialPlugin.V1Beta1})");
        }
        // kubectl: v1 must say interactiveMode; v1beta1 defaults to IfAvailable.
        string? mode = exec.Get("interactiveMode");
        if (mode is null && apiVersion == ExecCredentialPlugin.V1)
            throw new KubeConfigException($"{where}: exec interactiveMode must be set for {ExecCredentialPlugin.V1}");
        mode ??= "IfAvailable";
        if (mode == "Always")
            throw new KubeConfigException($"{where}: exec interactiveMode Always needs a terminal, and this program never has one");
        if (mode is not ("Never" or "IfAvailable"))
            throw new KubeConfigException($"{where}: exec interactiveMode \"{mode}\" is not Never, IfAvailable or Always");

        var args = new List<string>();
        foreach (YamlNode arg in exec.Sequence("args"))
            args.Add(arg is YamlScalarNode { Value: { } a } ? a : throw new KubeConfigException($"{where}: every exec arg must be a string"));
        var env = new List<KeyValuePair<string, string>>();
        foreach (YamlNode item in exec.Sequence("env"))
        {
            var entry = item is YamlMappingNode m ? new KubeConfigDocument.Entry(m, baseDirectory) : null;
            if (entry?.Get("name") is not { } name)
                throw new KubeConfigException($"{where}: every exec env entry needs a name");
            env.Add(new(name, ScalarOrEmpty((YamlMappingNode)item, "value")));
        }
        return new ExecCredentialPlugin
        {
            // client-go: a relative path with a separator is relative to the kubeconfig's folder; a
            // bare name is looked up on PATH.
            Command = command.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(command)
                ? Path.GetFullPath(Path.Combine(baseDirectory, command)) : command,
            Args = args,
            Env = env,
            ApiVersion = apiVersion,
            InstallHint = exec.Get("installHint"),
            InteractiveMode = mode,
            ProvideClusterInfo = exec.GetBool("provideClusterInfo"),
        };
    }

    /// <summary>The ExecCredential spec.cluster object (client.authentication.k8s.io Cluster) for KUBERNETES_EXEC_INFO.</summary>
    public static string ClusterJson(KubeConfigDocument.Entry cluster)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("server", cluster.Get("server"));
            if (cluster.Get("tls-server-name") is { } name)
                json.WriteString("tls-server-name", name);
            if (cluster.GetBool("insecure-skip-tls-verify"))
                json.WriteBoolean("insecure-skip-tls-verify", true);
            if (cluster.Get("certificate-authority-data") is { } ca)
                json.WriteString("certificate-authority-data", ca);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // An env value may be empty or absent: both mean "".
    private static string ScalarOrEmpty(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v) && v is YamlScalarNode { Value: { } s } ? s : "";
}
