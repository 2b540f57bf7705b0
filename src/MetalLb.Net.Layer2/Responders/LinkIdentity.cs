using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>The link a responder answers on: its name (what L2Advertisement.interfaces lists) and MAC.</summary>
public sealed record LinkIdentity(string Name, int Index, MacAddress Mac);
