namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// A webhook could not be called or answered nonsense: the transport-level failure the real
/// server wraps in "failed calling webhook" (admission) or "conversion webhook for ... failed".
/// The message is already in the real server's (Go) wording.
/// </summary>
internal sealed class WebhookCallException(string message) : Exception(message);
