# Loads the Fastfile against the recording fake and checks each lane's actions and
# parameters. Run: ruby fastlane/test/fastfile_test.rb
require "minitest/autorun"
require_relative "fake_fastlane"

class FastfileTest < Minitest::Test
  REPO = File.expand_path("../..", __dir__)
  FASTFILE = File.join(REPO, "fastlane/Fastfile")

  # The workspace version, read here independently of the Fastfile's own parsing.
  VERSION = File.read(File.join(REPO, "Cargo.toml"))
    .split(/^\[/).find { |s| s.start_with?("workspace.package]") }[/^version\s*=\s*"([^"]+)"/, 1]

  def setup
    ENV["LAYANAN_BUILD_NUMBER"] = "42"
    @fl = FakeFastlane.new(FASTFILE)
  end

  def teardown
    ENV.delete("LAYANAN_BUILD_NUMBER")
  end

  def actions(calls) = calls.map(&:action)

  def test_every_lane_is_there_and_described
    assert_equal :android, @fl.default
    expected = [[:android, :test], [:android, :build], [:android, :internal],
                [:ios, :test], [:ios, :build], [:ios, :beta]]
    assert_equal expected.sort, @fl.lanes.keys.sort
    @fl.lanes.each { |key, lane| refute_nil lane[:desc], "#{key.join(' ')} has no description" }
  end

  def test_android_test_runs_the_core_and_kotlin_suites_then_gradle
    calls = @fl.run(:android, :test)
    assert_equal %i[sh sh gradle], actions(calls)
    assert_equal [File.join(REPO, "scripts/test"), "rust"], calls[0].args
    assert_equal [File.join(REPO, "scripts/test"), "kotlin"], calls[1].args
    assert_equal "testDebugUnitTest", calls[2].params[:task]
  end

  def test_android_build_makes_four_abis_then_a_versioned_release_bundle
    calls = @fl.run(:android, :build)
    assert_equal %i[sh gradle], actions(calls)
    cargo = calls[0].args
    assert_equal %w[cargo ndk], cargo.first(2)
    abis = cargo.each_cons(2).select { |flag, _| flag == "-t" }.map(&:last)
    assert_equal %w[arm64-v8a armeabi-v7a x86_64 x86], abis
    assert_includes cargo.each_cons(2).to_a, ["--platform", "23"]
    assert_includes cargo.each_cons(2).to_a, ["-p", "layanan-ffi"]
    assert_includes cargo, "--release"
    gradle = calls[1].params
    assert_equal "bundle", gradle[:task]
    assert_equal "Release", gradle[:build_type]
    assert_equal({ "layanan.versionName" => VERSION, "layanan.versionCode" => 42 }, gradle[:properties])
  end

  def test_android_internal_uploads_the_built_bundle_to_the_internal_track
    calls = @fl.run(:android, :internal)
    assert_equal %i[sh gradle upload_to_play_store], actions(calls)
    upload = calls.last.params
    assert_equal "internal", upload[:track]
    assert_equal FakeFastlane::AAB, upload[:aab]
    assert_equal "draft", upload[:release_status]
  end

  def test_ios_test_runs_the_core_and_swift_suites_then_the_package_tests
    calls = @fl.run(:ios, :test)
    assert_equal %i[sh sh run_tests], actions(calls)
    assert_equal "swift", calls[1].args.last
    assert_equal File.join(REPO, "ios/LayananKit"), calls[2].params[:package_path]
  end

  def test_ios_build_makes_the_xcframework_then_a_versioned_archive
    calls = @fl.run(:ios, :build)
    assert_equal %i[sh increment_version_number increment_build_number build_app], actions(calls)
    assert_equal [File.join(REPO, "ios/scripts/build-xcframework.sh")], calls[0].args
    assert_equal VERSION, calls[1].params[:version_number]
    assert_equal 42, calls[2].params[:build_number]
    assert_equal "LayananApp", calls[3].params[:scheme]
    assert_equal "app-store", calls[3].params[:export_method]
  end

  def test_ios_beta_uploads_to_testflight_after_building
    calls = @fl.run(:ios, :beta)
    assert_equal :build_app, calls[-2].action
    assert_equal :upload_to_testflight, calls.last.action
    assert_equal false, calls.last.params[:distribute_external]
  end

  def test_the_build_number_falls_back_to_the_commit_count_and_refuses_garbage
    ENV.delete("LAYANAN_BUILD_NUMBER")
    calls = @fl.run(:android, :build)
    assert_includes calls.map(&:args), ["git", "-C", REPO, "rev-list", "--count", "HEAD"]
    assert_equal 321, calls.last.params[:properties]["layanan.versionCode"]
    ENV["LAYANAN_BUILD_NUMBER"] = "12a"
    assert_raises(UI::Error) { @fl.run(:android, :build) }
  end

  # The Appfile names the apps and takes every secret from the environment.
  class AppfileRecorder
    attr_reader :values

    def initialize(path)
      @values = {}
      instance_eval(File.read(path), path)
    end

    %i[json_key_file package_name app_identifier apple_id team_id itc_team_id].each do |name|
      define_method(name) { |value| @values[name] = value }
    end
  end

  def test_the_appfile_names_both_apps_and_keeps_secrets_out
    ENV["LAYANAN_PLAY_JSON_KEY"] = "/secrets/play.json"
    ENV["LAYANAN_TEAM_ID"] = "TEAM123"
    values = AppfileRecorder.new(File.join(REPO, "fastlane/Appfile")).values
    assert_equal "id.layanan.app", values[:package_name]
    assert_equal "id.layanan.app", values[:app_identifier]
    assert_equal "/secrets/play.json", values[:json_key_file]
    assert_equal "TEAM123", values[:team_id]
  ensure
    ENV.delete("LAYANAN_PLAY_JSON_KEY")
    ENV.delete("LAYANAN_TEAM_ID")
  end
end
