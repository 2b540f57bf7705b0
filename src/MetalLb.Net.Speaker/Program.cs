return await MetalLb.Net.Speaker.SpeakerCommand.RunAsync(args).ConfigureAwait(false);
