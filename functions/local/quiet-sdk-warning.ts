// The AWS SDK warns on every start that future versions need Node 22. Lambda runs Node 22; the
// local stack and the CLI run on Node 20 on purpose (see README), so the warning says nothing new.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
