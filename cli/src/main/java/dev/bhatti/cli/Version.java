package dev.bhatti.cli;

import picocli.CommandLine;

/** The client version, from the jar manifest when packaged. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Bhatti.class.getPackage().getImplementationVersion();
        return new String[] {"bhatti " + (v == null ? "dev" : v)};
    }
}
