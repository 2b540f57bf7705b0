using MetalLb.Net.Controller;

return await ControllerCommand.RunAsync(args).ConfigureAwait(false);
