package io.rosetta.broker.internal;

import java.lang.annotation.Annotation;

/** A {@link BrokerConfig} as Config Admin would hand it over, for tests. */
final class TestConfig implements BrokerConfig {

    int port;
    boolean persistence;
    String dataDir = "";
    String allowAnonymous = "auto";
    String serviceUsername = "rosetta";
    String servicePasswordHash = "";
    String deviceTopics = DeviceTopicRules.DEFAULT;

    TestConfig(int port) {
        this.port = port;
    }

    TestConfig persistence(String dir) {
        this.persistence = true;
        this.dataDir = dir;
        return this;
    }

    TestConfig anonymous(String value) {
        this.allowAnonymous = value;
        return this;
    }

    TestConfig service(String username, String hash) {
        this.serviceUsername = username;
        this.servicePasswordHash = hash;
        return this;
    }

    TestConfig topics(String templates) {
        this.deviceTopics = templates;
        return this;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return BrokerConfig.class;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean persistence() {
        return persistence;
    }

    @Override
    public String dataDir() {
        return dataDir;
    }

    @Override
    public int maxMessageBytes() {
        return 1024 * 1024;
    }

    @Override
    public int sessionQueueSize() {
        return 1024;
    }

    @Override
    public String allowAnonymous() {
        return allowAnonymous;
    }

    @Override
    public String serviceUsername() {
        return serviceUsername;
    }

    @Override
    public String servicePasswordHash() {
        return servicePasswordHash;
    }

    @Override
    public String deviceTopics() {
        return deviceTopics;
    }
}
